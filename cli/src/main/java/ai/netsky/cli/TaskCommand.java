package ai.netsky.cli;

import ai.netsky.core.AgentId;
import ai.netsky.core.Names;
import ai.netsky.core.NetskyException;
import ai.netsky.store.TaskStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code netsky task add|list|show|start|assign|note|done|drop|reopen}: work tracking in meta.db
 * ({@link TaskStore}, table {@code task_events}). Who did it ({@code actor}) is the calling agent
 * (from {@code AGENT_N}), or {@code owner} in a shell without it.
 */
@Command(name = "task", mixinStandardHelpOptions = true,
        description = {"Track work in meta.db: tasks with a status (open, in_progress, done, dropped), an agent and a history.",
                "Every change is appended to task_events; nothing is ever overwritten."},
        subcommands = {TaskCommand.Add.class, TaskCommand.ListTasks.class, TaskCommand.Show.class, TaskCommand.Start.class,
                TaskCommand.Assign.class, TaskCommand.Note.class, TaskCommand.Done.class, TaskCommand.Drop.class, TaskCommand.Reopen.class})
public final class TaskCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final int MAX_TITLE = 500;

    abstract static class Base {
        final CliContext ctx;

        Base(CliContext ctx) { this.ctx = ctx; }

        @Option(names = "--json", description = "Print the JSON report.")
        boolean json;

        TaskStore tasks() { return new TaskStore(ctx.paths(), ctx.env()); }

        String actor() {
            String n = ctx.env().get(Names.ENV_AGENT_N);
            return n == null || n.isBlank() ? "owner" : ctx.self().name();
        }

        static String agentOrNull(String a) {
            if (a == null) return null;
            if (a.matches("\\d+")) return AgentId.fromNumber(Integer.parseInt(a)).name();
            if (!AgentId.isValid(a)) throw new NetskyException("invalid agent '" + a + "': use an id like agent0, agent3 or agentinfinity (or a number)");
            return a;
        }

        static String oneLine(String what, String s, int max) {
            if (s == null) return null;
            String t = s.strip();
            if (t.isEmpty()) throw new NetskyException(what + " must not be empty");
            if (t.contains("\n")) throw new NetskyException(what + " must be one line");
            if (t.length() > max) throw new NetskyException(what + " is " + t.length() + " characters; keep it under " + max);
            return t;
        }

        void report(TaskStore.Task t, String verb, boolean changed) {
            if (json) {
                ctx.out().println(JsonReport.render("task", "green", "task " + t.id() + " " + t.status().label(), t.json(true)));
            } else if (changed) {
                Ui.line(ctx.out(), "task", verb + " task " + t.id() + ": " + t.title() + " [" + t.status().label() + (t.agent() == null ? "" : ", " + t.agent()) + "]");
            } else {
                Ui.line(ctx.out(), "task", "task " + t.id() + " is already " + t.status().label() + (t.agent() == null ? "" : " (" + t.agent() + ")") + "; nothing changed");
            }
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a task; prints its id.")
    static final class Add extends Base implements Runnable {
        Add(CliContext ctx) { super(ctx); }

        @Parameters(arity = "1..*", paramLabel = "<title>", description = "What needs doing (words are joined with spaces).")
        List<String> title;

        @Option(names = "--agent", paramLabel = "<id>", description = "Who should do it (agent id or number).")
        String agent;

        @Option(names = "--note", paramLabel = "<text>", description = "Details kept with the task.")
        String note;

        public void run() {
            String t = oneLine("the task title", String.join(" ", title), MAX_TITLE);
            var task = tasks().add(t, agentOrNull(agent), actor(), note == null ? null : note.strip(), Instant.now());
            report(task, "added", true);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tasks (open and in progress unless --all or --status).")
    static final class ListTasks extends Base implements Runnable {
        ListTasks(CliContext ctx) { super(ctx); }

        @Option(names = "--all", description = "Include done and dropped tasks.")
        boolean all;

        @Option(names = "--status", paramLabel = "<status>", description = "Only this status: open, in_progress, done, dropped.")
        String status;

        @Option(names = "--agent", paramLabel = "<id>", description = "Only tasks of this agent.")
        String agent;

        public void run() {
            TaskStore.Status want = null;
            if (status != null) {
                try {
                    want = TaskStore.Status.valueOf(status.toUpperCase(java.util.Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new NetskyException("unknown status '" + status + "'; use open, in_progress, done or dropped");
                }
            }
            String who = agentOrNull(agent);
            final TaskStore.Status w = want;
            List<TaskStore.Task> shown = tasks().list().stream()
                    .filter(t -> w != null ? t.status() == w : all || !t.status().closed())
                    .filter(t -> who == null || who.equals(t.agent()))
                    .toList();
            if (json) {
                ctx.out().println(JsonReport.render("task", "green", shown.size() + " task(s)", Map.of("tasks", shown.stream().map(t -> t.json(false)).toList())));
                return;
            }
            if (shown.isEmpty()) {
                ctx.out().println(all || w != null ? "no tasks" : "no open tasks (netsky task list --all shows closed ones)");
                return;
            }
            for (var t : shown) {
                ctx.out().printf("%4d  %-11s %-13s %s  %s%n", t.id(), t.status().label(), t.agent() == null ? "-" : t.agent(), t.updatedAt(), t.title());
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one task with its full history.")
    static final class Show extends Base implements Runnable {
        Show(CliContext ctx) { super(ctx); }

        @Parameters(index = "0", paramLabel = "<id>")
        long id;

        public void run() {
            var t = tasks().get(id).orElseThrow(() -> new NetskyException("no task " + id + "; `netsky task list --all` shows the ids"));
            if (json) {
                ctx.out().println(JsonReport.render("task", "green", "task " + t.id() + " " + t.status().label(), t.json(true)));
                return;
            }
            ctx.out().println("task " + t.id() + ": " + t.title());
            ctx.out().println("  status:  " + t.status().label() + (t.agent() == null ? "" : " (" + t.agent() + ")"));
            ctx.out().println("  created: " + t.createdAt() + " by " + t.createdBy());
            for (var e : t.history()) {
                ctx.out().println("  " + e.ts() + "  " + e.action() + " by " + e.actor() + (e.agent() == null || e.action().equals("add") ? "" : " → " + e.agent())
                        + (e.detail() == null ? "" : ": " + e.detail()));
            }
        }
    }

    /** One transition: {@code start|assign|note|done|drop|reopen <id>}. */
    abstract static class Transition extends Base implements Runnable {
        Transition(CliContext ctx) { super(ctx); }

        @Parameters(index = "0", paramLabel = "<id>")
        long id;

        abstract TaskStore.Action action();

        abstract String verb();

        String agent() { return null; }

        String detail() { return null; }

        public void run() {
            var change = tasks().apply(id, action(), actor(), agent(), detail(), Instant.now());
            report(change.task(), verb(), change.changed());
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Mark a task in progress, taken by an agent (default: the caller).")
    static final class Start extends Transition {
        Start(CliContext ctx) { super(ctx); }

        @Option(names = "--agent", paramLabel = "<id>", description = "Who takes it (default: the caller, from AGENT_N).") String agent;

        TaskStore.Action action() { return TaskStore.Action.START; }
        String verb() { return "started"; }
        String agent() { return agent != null ? agentOrNull(agent) : actor().equals("owner") ? null : actor(); }
    }

    @Command(name = "assign", mixinStandardHelpOptions = true, description = "Give a task to an agent.")
    static final class Assign extends Transition {
        Assign(CliContext ctx) { super(ctx); }

        @Parameters(index = "1", paramLabel = "<agent>") String to;

        TaskStore.Action action() { return TaskStore.Action.ASSIGN; }
        String verb() { return "assigned"; }
        String agent() { return agentOrNull(to); }
    }

    @Command(name = "note", mixinStandardHelpOptions = true, description = "Add a note to a task's history.")
    static final class Note extends Transition {
        Note(CliContext ctx) { super(ctx); }

        @Parameters(index = "1", arity = "1..*", paramLabel = "<text>") List<String> text;

        TaskStore.Action action() { return TaskStore.Action.NOTE; }
        String verb() { return "noted"; }
        String detail() { return oneLine("the note", String.join(" ", text), 4000); }
    }

    @Command(name = "done", mixinStandardHelpOptions = true, description = "Mark a task done (idempotent).")
    static final class Done extends Transition {
        Done(CliContext ctx) { super(ctx); }

        @Option(names = "--note", paramLabel = "<text>", description = "What was done (kept in the history).") String note;

        TaskStore.Action action() { return TaskStore.Action.DONE; }
        String verb() { return "completed"; }
        String detail() { return note == null ? null : oneLine("the note", note, 4000); }
    }

    @Command(name = "drop", mixinStandardHelpOptions = true, description = "Drop a task without doing it (idempotent).")
    static final class Drop extends Transition {
        Drop(CliContext ctx) { super(ctx); }

        @Option(names = "--note", paramLabel = "<text>", description = "Why (kept in the history).") String note;

        TaskStore.Action action() { return TaskStore.Action.DROP; }
        String verb() { return "dropped"; }
        String detail() { return note == null ? null : oneLine("the note", note, 4000); }
    }

    @Command(name = "reopen", mixinStandardHelpOptions = true, description = "Reopen a done or dropped task.")
    static final class Reopen extends Transition {
        Reopen(CliContext ctx) { super(ctx); }

        TaskStore.Action action() { return TaskStore.Action.REOPEN; }
        String verb() { return "reopened"; }
    }
}
