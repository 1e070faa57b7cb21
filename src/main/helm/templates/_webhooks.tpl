{{/*
Webhook configurations of this injector (docs/revisions.md). The selectors are Istio 1.30's: namespaces and pods
choose this injector with istio.io/rev=<revision or tag>, and the default revision (or the tag "default") also with
istio-injection=enabled and sidecar.istio.io/inject=true. The configurations are labelled sidecarinjector.io/*,
never istio.io/rev or istio.io/tag, so that an istiod beside this injector leaves their caBundle and tags alone.
*/}}

{{/* The revision served, as its label value: "default" when app.revision is empty. */}}
{{- define "sidecar-injector.revisionLabel" -}}
{{ .Values.app.revision | default "default" }}
{{- end }}

{{/* Whether the revision served is the default one. */}}
{{- define "sidecar-injector.isDefault" -}}
{{- if or (not .Values.app.revision) (eq .Values.app.revision "default") }}true{{ end }}
{{- end }}

{{/* Name of the revision's MutatingWebhookConfiguration. */}}
{{- define "sidecar-injector.configurationName" -}}
{{- if include "sidecar-injector.isDefault" . }}sidecar-injector{{ else }}sidecar-injector-{{ .Values.app.revision }}{{ end }}
{{- end }}

{{/*
The webhooks of one configuration; dict: root (the chart's context), selects (the istio.io/rev value that chooses
it: the revision's label value or a tag), defaultPair (whether the istio-injection and sidecar.istio.io/inject
webhooks of the default revision are there too).
*/}}
{{- define "sidecar-injector.webhooks" -}}
{{- $root := .root }}
{{- $selects := .selects }}
{{- $kinds := list "rev.namespace" "rev.object" }}
{{- if .defaultPair }}{{ $kinds = list "rev.namespace" "rev.object" "namespace" "object" }}{{ end }}
{{- range $kind := $kinds }}
- name: {{ $kind }}.sidecar-injector.istio.io
  admissionReviewVersions: ["v1"]
  clientConfig:
    service:
      # the chart's Service (its namespace is the one the build gives every resource)
      name: sidecar-injector
      namespace: istio-system
      path: /inject
      port: 443
  rules:
  - operations: ["CREATE"]
    apiGroups: [""]
    apiVersions: ["v1"]
    resources: ["pods"]
  sideEffects: None
  failurePolicy: {{ $root.Values.app.webhook.failurePolicy }}
  reinvocationPolicy: {{ $root.Values.app.webhook.reinvocationPolicy }}
  matchPolicy: Equivalent
  timeoutSeconds: {{ $root.Values.app.webhook.timeoutSeconds }}
  {{- if eq $kind "rev.namespace" }}
  namespaceSelector:
    matchExpressions:
    - key: istio.io/rev
      operator: In
      values: [{{ $selects | quote }}]
    - key: istio-injection
      operator: DoesNotExist
  objectSelector:
    matchExpressions:
    - key: sidecar.istio.io/inject
      operator: NotIn
      values: ["false"]
  {{- else if eq $kind "rev.object" }}
  namespaceSelector:
    matchExpressions:
    - key: istio.io/rev
      operator: DoesNotExist
    - key: istio-injection
      operator: DoesNotExist
  objectSelector:
    matchExpressions:
    - key: sidecar.istio.io/inject
      operator: NotIn
      values: ["false"]
    - key: istio.io/rev
      operator: In
      values: [{{ $selects | quote }}]
  {{- else if eq $kind "namespace" }}
  namespaceSelector:
    matchExpressions:
    - key: istio-injection
      operator: In
      values: ["enabled"]
  objectSelector:
    matchExpressions:
    - key: sidecar.istio.io/inject
      operator: NotIn
      values: ["false"]
  {{- else }}
  namespaceSelector:
    matchExpressions:
    - key: istio-injection
      operator: DoesNotExist
    - key: istio.io/rev
      operator: DoesNotExist
  objectSelector:
    matchExpressions:
    - key: sidecar.istio.io/inject
      operator: In
      values: ["true"]
    - key: istio.io/rev
      operator: DoesNotExist
  {{- end }}
{{- end }}
{{- end }}

{{/*
One MutatingWebhookConfiguration per tag of app.revisionTags: a tag is another istio.io/rev value that chooses the
revision this chart serves; the tag "default" also brings the default revision's istio-injection and
sidecar.istio.io/inject webhooks. Each document starts with "---": they follow the revision's configuration in its
template (the build turns only files named _*.tpl of src/main/helm/templates into chart files).
*/}}
{{- define "sidecar-injector.tagConfigurations" -}}
{{- range $tag := .Values.app.revisionTags }}
---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: sidecar-injector-tag-{{ $tag }}
  labels:
    app.kubernetes.io/name: sidecar-injector
    sidecarinjector.io/revision: {{ include "sidecar-injector.revisionLabel" $ | quote }}
    sidecarinjector.io/tag: {{ $tag | quote }}
webhooks:
{{- include "sidecar-injector.webhooks" (dict "root" $ "selects" $tag "defaultPair" (eq $tag "default")) }}
{{- end }}
{{- end }}

{{/* The ClusterRole's rules: list and watch every configuration, update only ours (the revision's and its tags'). */}}
{{- define "sidecar-injector.webhookRules" -}}
- apiGroups: ["admissionregistration.k8s.io"]
  resources: ["mutatingwebhookconfigurations"]
  verbs: ["list", "watch"]
- apiGroups: ["admissionregistration.k8s.io"]
  resources: ["mutatingwebhookconfigurations"]
  resourceNames:
  - {{ include "sidecar-injector.configurationName" . }}
  {{- range $tag := .Values.app.revisionTags }}
  - sidecar-injector-tag-{{ $tag }}
  {{- end }}
  verbs: ["update"]
{{- end }}
