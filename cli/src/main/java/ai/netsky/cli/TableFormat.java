package ai.netsky.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders result rows: a boxed text table (like DataFusion's), RFC 4180 CSV, or JSON-ready maps. */
final class TableFormat {
    private TableFormat() {}

    static String text(List<String> columns, List<List<Object>> rows) {
        if (columns.isEmpty()) return "(no columns)\n";
        int[] w = new int[columns.size()];
        for (int i = 0; i < w.length; i++) w[i] = columns.get(i).length();
        List<List<String>> cells = new ArrayList<>();
        for (List<Object> r : rows) {
            List<String> c = new ArrayList<>();
            for (int i = 0; i < w.length; i++) {
                String s = cell(r.get(i));
                c.add(s);
                w[i] = Math.max(w[i], s.length());
            }
            cells.add(c);
        }
        StringBuilder sep = new StringBuilder("+");
        for (int x : w) sep.append("-".repeat(x + 2)).append('+');
        StringBuilder sb = new StringBuilder().append(sep).append('\n');
        sb.append(line(columns, w)).append(sep).append('\n');
        for (List<String> c : cells) sb.append(line(c, w));
        if (!cells.isEmpty()) sb.append(sep).append('\n');
        return sb.toString();
    }

    private static String line(List<String> values, int[] w) {
        StringBuilder sb = new StringBuilder("|");
        for (int i = 0; i < w.length; i++) sb.append(' ').append(values.get(i)).append(" ".repeat(w[i] - values.get(i).length())).append(" |");
        return sb.append('\n').toString();
    }

    /** One line per cell; control characters shown escaped so a row is always one line. */
    static String cell(Object v) {
        if (v == null) return "";
        return v.toString().replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
    }

    static String csv(List<String> columns, List<List<Object>> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(csvLine(new ArrayList<>(columns)));
        for (List<Object> r : rows) sb.append(csvLine(r));
        return sb.toString();
    }

    private static String csvLine(List<?> values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) sb.append(',');
            Object v = values.get(i);
            String s = v == null ? "" : v.toString();
            if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) s = "\"" + s.replace("\"", "\"\"") + "\"";
            sb.append(s);
        }
        return sb.append("\r\n").toString();
    }

    static List<Map<String, Object>> maps(List<String> columns, List<List<Object>> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (List<Object> r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) m.put(columns.get(i), r.get(i));
            out.add(m);
        }
        return out;
    }
}
