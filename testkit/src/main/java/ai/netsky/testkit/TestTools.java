package ai.netsky.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The third-party CLIs the end-to-end tests drive, from {@code test-tools/node_modules} (installed by
 * {@code bin/test}). Missing tools fail the test with the fix, never skip it silently.
 */
public final class TestTools {
    private TestTools() {}

    /** The repository root: the first directory upward holding {@code test-tools/package.json}. */
    public static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("test-tools/package.json"))) p = p.getParent();
        if (p == null) throw new AssertionError("test-tools/package.json not found above " + Path.of("").toAbsolutePath());
        return p;
    }

    public static Path bin(String name) {
        Path b = repoRoot().resolve("test-tools/node_modules/.bin").resolve(name);
        if (!Files.isExecutable(b)) {
            throw new AssertionError(b + " is missing: run bin/test (it installs test-tools with npm) or `cd test-tools && npm install`");
        }
        return b;
    }

    public static Path claude() { return bin("claude"); }

    public static Path codex() { return bin("codex"); }
}
