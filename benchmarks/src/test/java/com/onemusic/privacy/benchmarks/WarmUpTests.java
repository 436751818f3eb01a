package com.onemusic.privacy.benchmarks;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WarmUpTests {

	@AfterEach
	void clearLimits() {
		System.clearProperty("warmUpMax");
		System.clearProperty("steadyWithin");
	}

	@Test
	void threeWindowsWithinTheToleranceOfTheirLargestAreSteady() {
		assertThat(InProcess.steady(List.of(100.0, 200.0), 0.1)).isFalse();
		assertThat(InProcess.steady(List.of(100.0, 950.0, 1000.0, 905.0), 0.1)).isTrue();
		assertThat(InProcess.steady(List.of(950.0, 1000.0, 899.0), 0.1)).isFalse();
		assertThat(InProcess.steady(List.of(0.0, 0.0, 0.0), 0.1)).isFalse();
	}

	@Test
	void goesOnUntilEveryLoadSettles() throws Exception {
		// The first load settles in its fifth window, the second in its eighth.
		Iterator<Double> first = List.of(100.0, 500.0, 900.0, 950.0, 1000.0, 980.0, 990.0, 990.0).iterator();
		Iterator<Double> second = List.of(10.0, 50.0, 90.0, 100.0, 200.0, 400.0, 410.0, 420.0, 415.0).iterator();
		List<String> run = new ArrayList<>();
		Map<String, InProcess.Window> loads = new LinkedHashMap<>();
		loads.put("first", (seconds) -> {
			run.add("first");
			return first.next();
		});
		loads.put("second", (seconds) -> {
			run.add("second");
			return second.next();
		});
		InProcess.warmUp(0, loads);
		// Windows 6, 7 and 8 of the second load (400, 410, 420) are the first three
		// within 10 % of each other; the first load was steady by then.
		assertThat(run).hasSize(16);
		assertThat(run.subList(0, 4)).containsExactly("first", "second", "first", "second");
	}

	@Test
	void stopsAtTheLongestWarmUpWhenTheLoadNeverSettles() throws Exception {
		System.setProperty("warmUpMax", "0");
		List<Integer> windows = new ArrayList<>();
		InProcess.warmUp(0, Map.of("climbing", (seconds) -> {
			windows.add(seconds);
			return 100.0 * (windows.size() + 1);
		}));
		assertThat(windows).containsExactly(InProcess.WARM_UP_WINDOW);
	}

}
