package ai.netsky.core;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;

/**
 * Line-level edits of a TOML document that keep everything else byte for byte: comments, ordering,
 * blank lines, quoting of other keys. tomlj only reads, so {@code config set} edits the text and then
 * re-parses the result to prove the edit did what it meant (see {@link ConfigWriter}).
 *
 * <p>Scope, on purpose: scalar values (strings, integers, booleans) on one line. A key that lives in
 * a multi-line string or array is refused with a clear error rather than guessed at.
 */
public final class TomlEdit {
    private TomlEdit() {}

    private static final Pattern BARE_KEY = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern HEADER = Pattern.compile("^\\s*\\[\\s*([^\\[\\]#]+?)\\s*\\]\\s*(#.*)?$");
    private static final Pattern ANY_HEADER = Pattern.compile("^\\s*\\[");

    /** A TOML literal for a string value: a basic string with the required escapes. */
    public static String stringLiteral(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) b.append(String.format("\\u%04X", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }

    /**
     * Returns {@code text} with {@code dottedKey} set to the TOML {@code literal}: replaced in place
     * when present, else added to its table (or a new table at the end, or as a dotted key in a parent
     * table when TOML forbids a new header there). The result is re-parsed and must hold exactly the
     * new value, or this throws and the caller writes nothing.
     */
    public static String set(String text, String dottedKey, String literal) {
        Object want = parseOrThrow("v = " + literal).get("v");
        TomlParseResult toml = parseOrThrow(text);
        List<String> candidates = new ArrayList<>();
        if (toml.contains(dottedKey)) {
            List<String> lines = splitKeepingEnds(text);
            Span v = valueSpan(lines, toml.inputPositionOf(dottedKey), dottedKey);
            String line = lines.get(v.line);
            lines.set(v.line, line.substring(0, v.start) + literal + line.substring(v.end));
            candidates.add(String.join("", lines));
        } else {
            String[] parts = dottedKey.split("\\.");
            for (String p : parts) {
                if (!BARE_KEY.matcher(p).matches()) throw new NetskyException("cannot write key '" + dottedKey + "': '" + p + "' is not a bare TOML key");
            }
            // Deepest table first: [a.b] leaf = v, then a new [a.b], then [a] b.leaf = v, …, then a.b.leaf = v at the top.
            for (int split = parts.length - 1; split >= 0; split--) {
                String table = String.join(".", java.util.Arrays.copyOfRange(parts, 0, split));
                String rest = String.join(".", java.util.Arrays.copyOfRange(parts, split, parts.length));
                String inTable = insertInto(text, table, rest + " = " + literal + "\n");
                if (inTable != null) candidates.add(inTable);
                else if (split == parts.length - 1) candidates.add(appendTable(text, table, rest + " = " + literal + "\n"));
            }
        }
        String firstProblem = null;
        for (String c : candidates) {
            TomlParseResult r = Toml.parse(c);
            if (r.hasErrors()) {
                if (firstProblem == null) firstProblem = r.errors().get(0).getMessage();
                continue;
            }
            if (want.equals(r.get(dottedKey))) return c;
            if (firstProblem == null) firstProblem = "the edited file does not hold the new value";
        }
        throw new NetskyException("cannot place '" + dottedKey + "' in the file (" + firstProblem + "); add it by hand");
    }

    /** Inserts {@code newLine} after the last key of {@code table} ("" = top level); null when no such header. */
    private static String insertInto(String text, String table, String newLine) {
        List<String> lines = splitKeepingEnds(text);
        int header = table.isEmpty() ? -1 : findHeader(lines, table);
        if (!table.isEmpty() && header < 0) return null;
        int end = nextHeader(lines, header + 1);
        int at = end;
        while (at > header + 1 && isBlankOrComment(lines.get(at - 1))) at--;
        if (table.isEmpty() && at == 0 && end > 0) at = end; // only comments above the first table: keep them on top
        ensureEndsWithNewline(lines, at - 1);
        lines.add(at, newLine);
        return String.join("", lines);
    }

    private static String appendTable(String text, String table, String newLine) {
        StringBuilder out = new StringBuilder(text);
        if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') out.append('\n');
        if (out.length() > 0 && !out.toString().endsWith("\n\n")) out.append('\n');
        return out.append('[').append(table).append("]\n").append(newLine).toString();
    }

    /** Returns {@code text} without {@code dottedKey}'s line; unchanged when the key is absent. */
    public static String unset(String text, String dottedKey) {
        TomlParseResult toml = parseOrThrow(text);
        if (!toml.contains(dottedKey)) return text;
        List<String> lines = splitKeepingEnds(text);
        TomlPosition pos = toml.inputPositionOf(dottedKey);
        Span v = valueSpan(lines, pos, dottedKey);
        String line = lines.get(v.line);
        String before = line.substring(0, pos.column() - 1);
        String after = line.substring(v.end).strip();
        if (!before.isBlank() || !(after.isEmpty() || after.startsWith("#"))) {
            throw new NetskyException("cannot remove '" + dottedKey + "' at line " + pos.line()
                    + ": it shares the line with other keys (an inline table?); edit the file by hand");
        }
        lines.remove(v.line);
        dropEmptyTable(lines, v.line);
        return String.join("", lines);
    }

    /** After a removal at {@code at}: a table header left with nothing under it (no keys, no comments) goes too. */
    private static void dropEmptyTable(List<String> lines, int at) {
        int header = at - 1;
        while (header >= 0 && lines.get(header).isBlank()) header--;
        if (header < 0 || !HEADER.matcher(stripEnd(lines.get(header))).matches()) return;
        int end = nextHeader(lines, header + 1);
        for (int i = header + 1; i < end; i++) if (!lines.get(i).isBlank()) return;
        lines.subList(header, end).clear();
        // The blank separator that preceded the header, when nothing follows it any more.
        if (header == lines.size()) while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) lines.remove(lines.size() - 1);
    }

    private record Span(int line, int start, int end) {}

    /** Finds the value of the key whose name starts at {@code pos}: skips the key and '=', then one scalar. */
    private static Span valueSpan(List<String> lines, TomlPosition pos, String dottedKey) {
        int li = pos.line() - 1;
        String line = stripEnd(lines.get(li));
        int i = pos.column() - 1;
        while (i < line.length() && line.charAt(i) != '=') {
            char c = line.charAt(i);
            if (c == '"' || c == '\'') i = skipQuoted(line, i);
            else i++;
        }
        if (i >= line.length()) throw unsupported(dottedKey, pos, "no '=' after the key on its line");
        i++;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) i++;
        int start = i;
        if (line.startsWith("\"\"\"", i) || line.startsWith("'''", i)) throw unsupported(dottedKey, pos, "it is a multi-line string");
        if (i < line.length() && (line.charAt(i) == '[' || line.charAt(i) == '{')) throw unsupported(dottedKey, pos, "it is an array or table, not a single value");
        int end;
        if (i < line.length() && (line.charAt(i) == '"' || line.charAt(i) == '\'')) {
            end = skipQuoted(line, i);
        } else {
            end = i;
            while (end < line.length() && " \t#,}".indexOf(line.charAt(end)) < 0) end++;
        }
        if (end == start) throw unsupported(dottedKey, pos, "no value after '='");
        return new Span(li, start, end);
    }

    /** Index just past the closing quote of the string starting at {@code i}. */
    private static int skipQuoted(String s, int i) {
        char q = s.charAt(i);
        int j = i + 1;
        while (j < s.length()) {
            char c = s.charAt(j);
            if (q == '"' && c == '\\') {
                j += 2;
                continue;
            }
            if (c == q) return j + 1;
            j++;
        }
        return s.length();
    }

    private static NetskyException unsupported(String key, TomlPosition pos, String why) {
        return new NetskyException("cannot edit '" + key + "' at line " + pos.line() + ": " + why + "; edit the file by hand");
    }

    private static int findHeader(List<String> lines, String table) {
        String want = table.replace(" ", "");
        for (int i = 0; i < lines.size(); i++) {
            var m = HEADER.matcher(stripEnd(lines.get(i)));
            if (m.matches() && m.group(1).replace(" ", "").replace("\t", "").equals(want)) return i;
        }
        return -1;
    }

    private static int nextHeader(List<String> lines, int from) {
        for (int i = Math.max(from, 0); i < lines.size(); i++) {
            if (ANY_HEADER.matcher(lines.get(i)).find()) return i;
        }
        return lines.size();
    }

    private static boolean isBlankOrComment(String line) {
        String s = line.strip();
        return s.isEmpty() || s.startsWith("#");
    }

    private static void ensureEndsWithNewline(List<String> lines, int i) {
        if (i >= 0 && i < lines.size() && !lines.get(i).endsWith("\n")) lines.set(i, lines.get(i) + "\n");
    }

    private static String stripEnd(String line) {
        int e = line.length();
        while (e > 0 && (line.charAt(e - 1) == '\n' || line.charAt(e - 1) == '\r')) e--;
        return line.substring(0, e);
    }

    static List<String> splitKeepingEnds(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                out.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) out.add(text.substring(start));
        return out;
    }

    private static TomlParseResult parseOrThrow(String text) {
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            var e = toml.errors().get(0);
            throw new NetskyException("line " + e.position().line() + ": malformed TOML: " + e.getMessage() + "; fix the file first");
        }
        return toml;
    }
}
