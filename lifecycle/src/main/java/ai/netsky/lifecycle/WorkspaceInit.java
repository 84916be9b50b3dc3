package ai.netsky.lifecycle;

import ai.netsky.core.NetskyException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code netsky init}: writes the bundled workspace files into the netsky root — {@code .mcp.json},
 * {@code AGENTS.md}, {@code CLAUDE.md}, agent settings, the role prompts and skills — never
 * clobbering an existing file unless {@code update}, and even then never the user's
 * {@code .claude/settings.json} (here {@code .agents/settings.json}, which {@code .claude} links to).
 */
public final class WorkspaceInit {
    private WorkspaceInit() {}

    /** Bundled files, relative to the root (resources under {@code workspace/}, prompts from {@code prompts/}). */
    static final List<String> FILES = List.of(".mcp.json", "AGENTS.md", "CLAUDE.md", ".agents/settings.json",
            ".agents/skills/up/SKILL.md", ".agents/skills/down/SKILL.md", ".agents/skills/restart/SKILL.md");
    static final List<String> PROMPTS = List.of("agent0", "clone", "agentinfinity", "agentinit");
    static final String NEVER_UPDATED = ".agents/settings.json";

    /** Returns the number of files written. */
    public static int run(Path root, boolean update, PrintStream out) {
        return run(root, update, out, Map.of("netsky_bin", "netsky"));
    }

    public static int run(Path root, boolean update, PrintStream out, Map<String, String> values) {
        try {
            for (String dir : List.of("notes", "briefs", "workspaces", ".agents/skills", ".agents/prompts")) Files.createDirectories(root.resolve(dir));
            Path claude = root.resolve(".claude");
            if (!Files.exists(claude, LinkOption.NOFOLLOW_LINKS)) Files.createSymbolicLink(claude, Path.of(".agents"));
        } catch (IOException e) {
            throw new NetskyException("cannot create the netsky root layout in " + root + ": " + e.getMessage() + "; check permissions", e);
        }
        List<String[]> entries = new ArrayList<>();
        for (String f : FILES) entries.add(new String[] {f, resource("workspace/" + f)});
        for (String p : PROMPTS) entries.add(new String[] {".agents/prompts/" + p + ".md", Prompts.load(p)});
        int wrote = 0;
        for (String[] e : entries) {
            String rel = e[0];
            Path target = root.resolve(rel);
            boolean exists = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
            if (exists && (!update || rel.equals(NEVER_UPDATED))) continue;
            if (Files.isSymbolicLink(target)) throw new NetskyException("refusing to write " + target + ": it is a symlink; replace it with a file");
            String content = rel.endsWith(".json") ? Prompts.render(e[1], values) : e[1];
            try {
                Files.createDirectories(target.getParent());
                Path tmp = target.resolveSibling("." + target.getFileName() + ".netsky-init.tmp");
                Files.writeString(tmp, content, StandardCharsets.UTF_8);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException ex) {
                throw new NetskyException("cannot write " + target + ": " + ex.getMessage(), ex);
            }
            out.println("  wrote " + rel);
            wrote++;
        }
        out.println("netsky init: wrote " + wrote + " files to " + root);
        return wrote;
    }

    private static String resource(String name) {
        try (InputStream in = WorkspaceInit.class.getResourceAsStream(name)) {
            if (in == null) throw new NetskyException("bundled file '" + name + "' is missing from the netsky jar; rebuild netsky");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new NetskyException("cannot read bundled file '" + name + "': " + e.getMessage(), e);
        }
    }
}
