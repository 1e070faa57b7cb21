package io.sidecarinjector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the documentation true to the code: docs/architecture.md names exactly the Java packages that exist, and
 * every relative link of README.md, CONTRIBUTING.md and docs/*.md leads to an existing file (and heading, when the
 * link names one). Paths are relative to the project root, where Maven runs the tests.
 */
class ArchitectureDocTest {

    static final Path SOURCES = Path.of("src/main/java/io/sidecarinjector");
    static final Path ARCHITECTURE = Path.of("docs/architecture.md");

    /** A package line of the "## Packages" section: {@code - `name`: what it is}. */
    private static final Pattern PACKAGE_LINE = Pattern.compile("^- `([a-z0-9_.]+)`: (.*)$");
    /** An inline link or image: {@code [text](target)} or {@code [text](target "title")}. */
    private static final Pattern LINK =
            Pattern.compile("!?\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");

    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

    @Test
    void thePackagesSectionNamesEveryPackageAndNoOther() throws IOException {
        Set<String> documented = documentedPackages(Files.readString(ARCHITECTURE));
        Set<String> actual = sourcePackages(SOURCES);
        assertFalse(actual.isEmpty(), "no packages found under " + SOURCES.toAbsolutePath());
        Set<String> missing = new TreeSet<>(actual);
        missing.removeAll(documented);
        Set<String> gone = new TreeSet<>(documented);
        gone.removeAll(actual);
        assertTrue(
                missing.isEmpty() && gone.isEmpty(),
                ARCHITECTURE + ", section \"## Packages\": packages not listed " + missing + ", listed but not in "
                        + SOURCES + " " + gone);
    }

    @Test
    void everyRelativeLinkLeadsToAnExistingFileAndHeading() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path page : pages()) {
            for (String target : links(Files.readString(page))) {
                String problem = check(page, target);
                if (problem != null) {
                    broken.add(page + ": (" + target + ") " + problem);
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void thePackagesSectionIsReadAsDocumented() {
        String doc = "# A\n\n## Packages\n\nIntro.\n\n- `alpha`: first\n- `beta.gamma`: nested\n  continued\n"
                + "- not a package line\n\n## Next\n\n- `delta`: outside the section\n";
        assertEquals(Set.of("alpha", "beta.gamma"), documentedPackages(doc));
        assertThrows(AssertionError.class, () -> documentedPackages("# A\n\n## Other\n\n- `alpha`: first\n"));
        assertThrows(
                AssertionError.class, () -> documentedPackages("## Packages\n\n- `alpha`: first\n- `alpha`: again\n"));
        assertThrows(AssertionError.class, () -> documentedPackages("## Packages\n\n- `alpha`:  \n"));
    }

    @Test
    void linksAndHeadingsAreReadAsGithubRendersThem() {
        String doc = "See [a](a.md), [b](docs/b.md#some-part \"title\"), ![img](<pic.png>), [web](https://x.org/y),"
                + " [self](#here) and `[not](code.md)`.\n\n```\n[not](fenced.md)\n```\n";
        assertEquals(List.of("a.md", "docs/b.md#some-part", "pic.png", "https://x.org/y", "#here"), links(doc));
        assertEquals(
                Set.of("tls-self-managed-the-default-nothing-else-to-install", "jvm-start", "the-answer"),
                anchors("## TLS, self-managed (the default: nothing else to install)\n### JVM start\n"
                        + "```\n# not a heading\n```\n## The answer\n"));
    }

    /** The names listed in the "## Packages" section of an architecture page; fails on a malformed list. */
    static Set<String> documentedPackages(String markdown) {
        List<String> section = section(markdown, "Packages");
        Set<String> names = new HashSet<>();
        for (String line : section) {
            Matcher m = PACKAGE_LINE.matcher(line);
            if (m.matches()) {
                assertFalse(m.group(2).isBlank(), "package " + m.group(1) + " has no description");
                assertTrue(names.add(m.group(1)), "package " + m.group(1) + " is listed twice");
            }
        }
        assertFalse(names.isEmpty(), "the \"## Packages\" section lists no package (lines \"- `name`: ...\")");
        return names;
    }

    private static List<String> section(String markdown, String title) {
        List<String> lines = markdown.lines().toList();
        int start = lines.indexOf("## " + title);
        assertTrue(start >= 0, "no \"## " + title + "\" section");
        int end = start + 1;
        while (end < lines.size()
                && !lines.get(end).startsWith("## ")
                && !lines.get(end).startsWith("# ")) {
            end++;
        }
        return lines.subList(start + 1, end);
    }

    /** Every directory below the root that holds a Java source, as a package name relative to the root. */
    static Set<String> sourcePackages(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .map(Path::getParent)
                    .filter(dir -> !dir.equals(root))
                    .map(dir -> root.relativize(dir)
                            .toString()
                            .replace(root.getFileSystem().getSeparator(), "."))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(Path.of("README.md"), Path.of("CONTRIBUTING.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        for (Path page : pages) {
            assertTrue(Files.isRegularFile(page), page + " is missing");
        }
        return pages;
    }

    /** Link targets outside code blocks and code spans, in order. */
    static List<String> links(String markdown) {
        StringBuilder prose = new StringBuilder();
        boolean fenced = false;
        for (String line : markdown.lines().toList()) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (!fenced) {
                prose.append(line.replaceAll("`[^`]*`", "``")).append('\n');
            }
        }
        List<String> targets = new ArrayList<>();
        Matcher m = LINK.matcher(prose);
        while (m.find()) {
            targets.add(m.group(1));
        }
        return targets;
    }

    /** The anchors GitHub gives the headings of a page. */
    static Set<String> anchors(String markdown) {
        Set<String> anchors = new HashSet<>();
        boolean fenced = false;
        for (String line : markdown.lines().toList()) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            Matcher m = HEADING.matcher(line);
            if (!fenced && m.matches()) {
                anchors.add(slug(m.group(1)));
            }
        }
        return anchors;
    }

    private static String slug(String heading) {
        StringBuilder slug = new StringBuilder();
        heading.strip().toLowerCase().codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                slug.appendCodePoint(c);
            } else if (c == ' ') {
                slug.append('-');
            }
        });
        return slug.toString();
    }

    /** Null when the target is fine or not checked (a URL), else what is wrong. */
    private static String check(Path page, String target) {
        if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            return null; // https:, mailto:, ...
        }
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path parent = page.toAbsolutePath().getParent();
        Path resolved =
                file.isEmpty() ? page.toAbsolutePath() : parent.resolve(file).normalize();
        if (!Files.exists(resolved)) {
            return "no such file: " + resolved;
        }
        if (anchor != null && resolved.toString().endsWith(".md")) {
            try {
                if (!anchors(Files.readString(resolved)).contains(anchor)) {
                    return "no heading with the anchor #" + anchor + " in " + resolved;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return null;
    }
}
