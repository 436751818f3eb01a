package com.onemusic.privacy.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The CPU time of each thread of another process, user and system apart, and its context
 * switches, read from Linux's {@code /proc/<pid>/task}. Two snapshots around a measured
 * window tell where a service's CPU time per unit of work went: its own code (user) or
 * the kernel (system: the network, waking threads, switching between them), and which of
 * its threads spent it, by name with the digits taken out ({@code parallel-N},
 * {@code reactor-http-epoll-N}: the kernel keeps a thread's first 15 characters). A
 * process's total CPU time alone tells neither. Empty where there is no {@code /proc}.
 *
 * <p>
 * The kernel counts in clock ticks ({@code USER_HZ}, 100 a second on Linux), so a group
 * of threads that ran less than about 1 s in the window is measured to within a few per
 * cent only. A thread that ended between two snapshots is left out of the second.
 */
final class ThreadTimes {

	/** The kernel's clock ticks per second for these counts ({@code USER_HZ}). */
	private static final double TICKS_PER_SECOND = 100;

	/** Threads whose time per unit is below this, in milliseconds, go into "other". */
	private static final double SHOWN = 0.01;

	private final Map<Long, Times> byThread;

	private ThreadTimes(Map<Long, Times> byThread) {
		this.byThread = byThread;
	}

	/**
	 * A snapshot of a process's threads.
	 * @param pid the process
	 * @return the snapshot, empty where the system has no {@code /proc}
	 */
	static ThreadTimes of(long pid) {
		Path tasks = Path.of("/proc", Long.toString(pid), "task");
		Map<Long, Times> byThread = new HashMap<>();
		if (!Files.isDirectory(tasks)) {
			return new ThreadTimes(byThread);
		}
		try (Stream<Path> threads = Files.list(tasks)) {
			for (Path thread : (Iterable<Path>) threads::iterator) {
				Times times = read(thread);
				if (times != null) {
					byThread.put(Long.parseLong(thread.getFileName().toString()), times);
				}
			}
		}
		catch (NoSuchFileException ended) {
			// The process ended: what was read so far.
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return new ThreadTimes(byThread);
	}

	/** One thread's counts, or null when it ended while being read. */
	private static Times read(Path thread) throws IOException {
		try {
			String stat = Files.readString(thread.resolve("stat"), StandardCharsets.UTF_8);
			// "tid (name) state ppid ...": the name may hold spaces and parentheses.
			int open = stat.indexOf('(');
			int close = stat.lastIndexOf(')');
			String name = stat.substring(open + 1, close);
			String[] fields = stat.substring(close + 2).trim().split(" ");
			// Fields 14 and 15 of the line (utime, stime); fields[0] is field 3.
			long user = Long.parseLong(fields[11]);
			long system = Long.parseLong(fields[12]);
			long voluntary = 0;
			long involuntary = 0;
			for (String line : Files.readAllLines(thread.resolve("status"), StandardCharsets.UTF_8)) {
				if (line.startsWith("voluntary_ctxt_switches:")) {
					voluntary = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
				}
				else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
					involuntary = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
				}
			}
			return new Times(name.replaceAll("[0-9]+", "N"), user, system, voluntary, involuntary);
		}
		catch (NoSuchFileException ended) {
			return null;
		}
	}

	/**
	 * One line: the process's CPU time per unit of work since an earlier snapshot, user
	 * and system apart, its context switches, and the threads that spent the time, most
	 * first (those under 0.01 ms a unit together as "other").
	 * @param before the earlier snapshot
	 * @param units how many units of work were done in between
	 * @param unit the unit's name
	 * @return the line, or an empty string where there is no {@code /proc}
	 */
	String perUnitSince(ThreadTimes before, long units, String unit) {
		if (this.byThread.isEmpty() || units == 0) {
			return "";
		}
		Times zero = new Times("", 0, 0, 0, 0);
		Map<String, Long> ticksByName = new HashMap<>();
		long user = 0;
		long system = 0;
		long voluntary = 0;
		long involuntary = 0;
		for (Map.Entry<Long, Times> thread : this.byThread.entrySet()) {
			Times now = thread.getValue();
			Times then = before.byThread.getOrDefault(thread.getKey(), zero);
			user += now.user() - then.user();
			system += now.system() - then.system();
			voluntary += now.voluntary() - then.voluntary();
			involuntary += now.involuntary() - then.involuntary();
			ticksByName.merge(now.name(), (now.user() - then.user()) + (now.system() - then.system()), Long::sum);
		}
		StringBuilder line = new StringBuilder(String.format(
				"    user %.2f ms, system %.2f ms, %.2f context switches (%.2f voluntary) per %s; by thread:",
				millisPerUnit(user, units), millisPerUnit(system, units), (voluntary + involuntary) / (double) units,
				voluntary / (double) units, unit));
		List<Map.Entry<String, Long>> names = new ArrayList<>(ticksByName.entrySet());
		names.sort(Map.Entry.<String, Long>comparingByValue().reversed());
		long others = 0;
		for (Map.Entry<String, Long> name : names) {
			if (millisPerUnit(name.getValue(), units) >= SHOWN) {
				line.append(String.format(" %s %.2f,", name.getKey(), millisPerUnit(name.getValue(), units)));
			}
			else {
				others += name.getValue();
			}
		}
		line.append(String.format(" other %.2f", millisPerUnit(others, units)));
		return line.toString();
	}

	private static double millisPerUnit(long ticks, long units) {
		return ticks * 1000 / TICKS_PER_SECOND / units;
	}

	private record Times(String name, long user, long system, long voluntary, long involuntary) {

	}

}
