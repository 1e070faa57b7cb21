package io.sidecarinjector.nativeimage;

import com.fasterxml.jackson.databind.introspect.AnnotatedClass;
import com.fasterxml.jackson.databind.introspect.AnnotatedField;
import com.fasterxml.jackson.databind.introspect.AnnotatedMethodMap;
import com.oracle.svm.core.annotate.Alias;
import com.oracle.svm.core.annotate.RecomputeFieldValue;
import com.oracle.svm.core.annotate.TargetClass;
import java.util.List;

/**
 * In the native executable, Jackson's view of a class ships without its lists of every constructor, method and
 * field: the image builder stores them empty, and Jackson lists them again, from reflection, if it ever asks.
 * <p>
 * Why: the build's warm-up ({@link ImageWarmUp}) leaves the (de)serializers of the Pod graph in the image heap, and
 * each property there holds Jackson's view of its class, which lists every member of the class, used or not.
 * Those lists are a large part of the image heap, and a method object in the image heap makes its method
 * callable: every model type's {@code edit()} and {@code toBuilder()} would bring its builder, and the builders of
 * every type it holds, into the executable. The finished (de)serializers keep the members they use (a property's
 * getter or setter, the constructor Jackson creates objects with); Jackson reads the lists only while it builds a
 * (de)serializer, and builds them anew for a class it meets first at run time. On a JVM this class does nothing.
 */
@TargetClass(AnnotatedClass.class)
final class JacksonMemberListsOutOfImage {

    @Alias
    @RecomputeFieldValue(kind = RecomputeFieldValue.Kind.Reset)
    protected AnnotatedClass.Creators _creators;

    @Alias
    @RecomputeFieldValue(kind = RecomputeFieldValue.Kind.Reset)
    protected AnnotatedMethodMap _memberMethods;

    @Alias
    @RecomputeFieldValue(kind = RecomputeFieldValue.Kind.Reset)
    protected List<AnnotatedField> _fields;

    private JacksonMemberListsOutOfImage() {}
}
