package ai.netsky.testkit;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scripted servers against the real agent CLIs from npm (one-shot modes, no tmux). */
class ScriptedServersTest {
    @TempDir Path home;

    record Out(int exit, String text) {}

    private Out run(List<String> argv, Map<String, String> env, Duration timeout) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).directory(home.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("ANTHROPIC") || k.startsWith("OPENAI") || k.startsWith("CLAUDE") || k.startsWith("CODEX"));
        pb.environment().put("HOME", home.toString());
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Path log = home.resolve("out-" + System.nanoTime() + ".txt");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail(argv.get(0) + " did not finish within " + timeout + "; output: " + Files.readString(log));
        }
        return new Out(p.exitValue(), Files.readString(log));
    }

    @Test
    void claudeCodePrintModeShowsTheScriptedAnswer() throws Exception {
        try (var s = ScriptedAnthropicServer.start()) {
            s.defaultTurn(ScriptedAnthropicServer.Turn.text("scripted-hello-42"));
            var out = run(List.of(TestTools.claude().toString(), "-p", "say hello"),
                    Map.of("ANTHROPIC_BASE_URL", s.baseUrl(), "ANTHROPIC_API_KEY", "sk-test", "DISABLE_AUTOUPDATER", "1"),
                    Duration.ofSeconds(60));
            assertEquals(0, out.exit(), out.text());
            assertTrue(out.text().contains("scripted-hello-42"), out.text());
            assertFalse(s.messageRequests().isEmpty());
        }
    }

    @Test
    void claudeCodeRunsAScriptedToolCallAndSendsItsResultBack() throws Exception {
        try (var s = ScriptedAnthropicServer.start()) {
            Path marker = home.resolve("touched.txt");
            s.enqueue(ScriptedAnthropicServer.Turn.toolUse("Bash", Map.of("command", "echo made > " + marker, "description", "touch")),
                    ScriptedAnthropicServer.Turn.text("done-after-tool"));
            var out = run(List.of(TestTools.claude().toString(), "-p", "--dangerously-skip-permissions", "touch it"),
                    Map.of("ANTHROPIC_BASE_URL", s.baseUrl(), "ANTHROPIC_API_KEY", "sk-test", "IS_SANDBOX", "1", "DISABLE_AUTOUPDATER", "1"),
                    Duration.ofSeconds(60));
            assertEquals(0, out.exit(), out.text());
            assertTrue(out.text().contains("done-after-tool"), out.text());
            assertEquals("made", Files.readString(marker).strip());
            assertTrue(s.messageRequests().stream().anyMatch(r -> !ScriptedAnthropicServer.toolResults(r).isEmpty()), "tool_result sent back");
        }
    }

    @Test
    void codexExecShowsTheScriptedAnswer() throws Exception {
        try (var s = ScriptedOpenAiServer.start()) {
            s.defaultTurn(ScriptedOpenAiServer.Turn.text("codex-scripted-7"));
            Path codexHome = Files.createDirectories(home.resolve(".codex"));
            Files.writeString(codexHome.resolve("config.toml"), s.codexConfigToml("gpt-5.4", "SCRIPTED_KEY"));
            var out = run(List.of(TestTools.codex().toString(), "exec", "--skip-git-repo-check", "say hi"),
                    Map.of("SCRIPTED_KEY", "sk-test", "CODEX_HOME", codexHome.toString()), Duration.ofSeconds(60));
            assertEquals(0, out.exit(), out.text());
            assertTrue(out.text().contains("codex-scripted-7"), out.text());
            assertFalse(s.responseRequests().isEmpty());
        }
    }
}
