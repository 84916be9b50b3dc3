package ai.netsky.watchdog;

import ai.netsky.core.AgentId;
import ai.netsky.core.EnvelopeCodec;
import ai.netsky.core.EnvelopeRules;
import ai.netsky.core.NetskyException;
import ai.netsky.core.NetskyPaths;
import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import tools.jackson.core.type.TypeReference;

/**
 * Scheduled prompts ({@code netsky cron}): entries in {@code ~/.netsky/state/cron.json}, standard
 * 5-field cron expressions parsed by cron-utils, fired by {@code cron tick} (the ticker runs it every
 * beat). A run missed while netsky was down fires once on the next tick, never as a backlog burst.
 * All changes happen under a file lock so concurrent ticks and edits never lose an entry.
 */
public final class CronTable {
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    public record Entry(String label, String schedule, String target, String prompt, long createdAt, long lastFired) {
        Entry fired(long at) { return new Entry(label, schedule, target, prompt, createdAt, at); }
    }

    private final NetskyPaths paths;

    public CronTable(NetskyPaths paths) {
        this.paths = paths;
    }

    public Path file() { return paths.stateDir().resolve("cron.json"); }

    public static Cron parse(String schedule) {
        try {
            Cron cron = PARSER.parse(schedule.strip());
            cron.validate();
            return cron;
        } catch (IllegalArgumentException e) {
            throw new NetskyException("invalid cron schedule '" + schedule + "': " + e.getMessage()
                    + "; use 5 fields: minute hour day-of-month month day-of-week, e.g. \"*/15 * * * *\"");
        }
    }

    public Entry add(String label, String schedule, String target, String prompt, Instant now) {
        if (!LABEL.matcher(label).matches()) throw new NetskyException("invalid cron label '" + label + "': use letters, digits, '-', '_' or '.'");
        parse(schedule);
        if (!AgentId.isValid(target)) throw new NetskyException("invalid cron target '" + target + "': use an agent id like agent0");
        EnvelopeRules.validateText(prompt);
        Entry e = new Entry(label, schedule.strip(), target, prompt, now.getEpochSecond(), now.getEpochSecond());
        update(entries -> {
            if (entries.stream().anyMatch(x -> x.label().equals(label))) {
                throw new NetskyException("cron entry '" + label + "' already exists; remove it first: netsky cron remove " + label);
            }
            List<Entry> out = new ArrayList<>(entries);
            out.add(e);
            return out;
        });
        return e;
    }

    public boolean remove(String label) {
        boolean[] found = {false};
        update(entries -> {
            List<Entry> out = new ArrayList<>(entries);
            found[0] = out.removeIf(x -> x.label().equals(label));
            return out;
        });
        return found[0];
    }

    public List<Entry> list() {
        return read();
    }

    /** The next time an entry fires after {@code now}. */
    public static Optional<ZonedDateTime> next(Entry e, Instant now) {
        return ExecutionTime.forCron(parse(e.schedule())).nextExecution(now.atZone(ZoneId.systemDefault()));
    }

    /**
     * Fires every entry whose most recent scheduled time is after its last firing, through {@code fire}
     * (which delivers the prompt), and records the firing. Returns the entries fired.
     */
    public List<Entry> tick(Instant now, java.util.function.Consumer<Entry> fire) {
        List<Entry> fired = new ArrayList<>();
        update(entries -> {
            List<Entry> out = new ArrayList<>();
            for (Entry e : entries) {
                Optional<ZonedDateTime> last = ExecutionTime.forCron(parse(e.schedule())).lastExecution(now.atZone(ZoneId.systemDefault()));
                if (last.isPresent() && last.get().toEpochSecond() > e.lastFired()) {
                    fire.accept(e);
                    Entry done = e.fired(now.getEpochSecond());
                    fired.add(done);
                    out.add(done);
                } else {
                    out.add(e);
                }
            }
            return out;
        });
        return fired;
    }

    private List<Entry> read() {
        try {
            byte[] bytes = Files.readAllBytes(file());
            return Arrays.asList(EnvelopeCodec.mapper().readValue(bytes, new TypeReference<Entry[]>() {}));
        } catch (NoSuchFileException none) {
            return List.of();
        } catch (IOException | tools.jackson.core.JacksonException e) {
            throw new NetskyException("cannot read " + file() + ": " + e.getMessage() + "; fix or remove the file");
        }
    }

    private void update(Function<List<Entry>, List<Entry>> change) {
        Path state = paths.ensureDir(paths.stateDir());
        try (FileChannel lockCh = FileChannel.open(state.resolve("cron.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockCh.lock()) {
            List<Entry> next = change.apply(read());
            Path tmp = state.resolve(".cron.json.tmp");
            Files.write(tmp, EnvelopeCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(next));
            Files.move(tmp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new NetskyException("cannot update " + file() + ": " + e.getMessage());
        }
    }
}
