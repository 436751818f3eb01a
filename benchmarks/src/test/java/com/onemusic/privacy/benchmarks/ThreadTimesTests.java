package com.onemusic.privacy.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ThreadTimesTests {

	private static final long PID = ProcessHandle.current().pid();

	@BeforeAll
	static void linux() {
		assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "the threads' times are read from Linux's /proc");
	}

	@Test
	void countsTheCpuTimeOfEachThreadByItsNameWithoutDigitsAndTheContextSwitches() throws Exception {
		ThreadTimes before = ThreadTimes.of(PID);
		Thread worker = workThenWait("spinner-9", () -> {
			spinFor300MillisOfCpu();
			for (int i = 0; i < 100; i++) {
				parkOneMillisecond();
			}
		});
		String line = ThreadTimes.of(PID).perUnitSince(before, 1, "unit");
		worker.interrupt();
		worker.join();

		assertThat(line).contains("per unit; by thread:").contains(" spinner-N ").doesNotContain("spinner-9");
		assertThat(number(line, "spinner-N (\\d+\\.\\d+)")).as(line).isGreaterThanOrEqualTo(250);
		assertThat(number(line, "user (\\d+\\.\\d+) ms") + number(line, "system (\\d+\\.\\d+) ms")).as(line)
			.isGreaterThanOrEqualTo(250);
		assertThat(number(line, "\\((\\d+\\.\\d+) voluntary\\)")).as(line).isGreaterThanOrEqualTo(100);
		assertThat(number(line, "(\\d+\\.\\d+) context switches")).as(line)
			.isGreaterThanOrEqualTo(number(line, "\\((\\d+\\.\\d+) voluntary\\)"));
		assertThat(ThreadTimes.of(PID).perUnitSince(before, 0, "unit")).isEmpty();
	}

	@Test
	void perUnitDividesByTheUnits() throws Exception {
		ThreadTimes before = ThreadTimes.of(PID);
		Thread worker = workThenWait("divided-1", ThreadTimesTests::spinFor300MillisOfCpu);
		ThreadTimes after = ThreadTimes.of(PID);
		worker.interrupt();
		worker.join();
		double one = number(after.perUnitSince(before, 1, "unit"), "divided-N (\\d+\\.\\d+)");
		double hundred = number(after.perUnitSince(before, 100, "unit"), "divided-N (\\d+\\.\\d+)");
		assertThat(one).isGreaterThanOrEqualTo(250);
		assertThat(hundred).isCloseTo(one / 100, offset(0.01));
	}

	@Test
	void aProcessThatDoesNotExistHasNoThreads() {
		assertThat(ThreadTimes.of(Long.MAX_VALUE).perUnitSince(ThreadTimes.of(Long.MAX_VALUE), 1, "unit")).isEmpty();
	}

	/** Runs until this thread has used 300 ms of CPU. */
	private static void spinFor300MillisOfCpu() {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long start = threads.getCurrentThreadCpuTime();
		long sink = 0;
		while (threads.getCurrentThreadCpuTime() - start < 300_000_000L) {
			for (int i = 0; i < 10_000; i++) {
				sink += i ^ sink;
			}
		}
		if (sink == 42) {
			System.out.print("");
		}
	}

	/**
	 * Starts a thread that does some work and then waits until interrupted (so that it is
	 * still in /proc when read), and returns once its work is done.
	 */
	private static Thread workThenWait(String name, Runnable work) throws InterruptedException {
		CountDownLatch worked = new CountDownLatch(1);
		CountDownLatch never = new CountDownLatch(1);
		Thread thread = new Thread(() -> {
			work.run();
			worked.countDown();
			try {
				never.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}, name);
		thread.start();
		assertThat(worked.await(30, TimeUnit.SECONDS)).as("%s did its work", name).isTrue();
		return thread;
	}

	/** Gives up the CPU for a millisecond: one voluntary context switch. */
	private static void parkOneMillisecond() {
		LockSupport.parkNanos(1_000_000);
	}

	private static double number(String line, String regex) {
		Matcher matcher = Pattern.compile(regex).matcher(line);
		assertThat(matcher.find()).as("'%s' in %s", regex, line).isTrue();
		return Double.parseDouble(matcher.group(1));
	}

}
