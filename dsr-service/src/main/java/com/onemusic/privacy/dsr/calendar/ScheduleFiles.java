package com.onemusic.privacy.dsr.calendar;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Reads holiday schedules, one YAML file per year: those shipped with the service
 * ({@code classpath:calendar/cn/*.yml}) and those added in a directory, which win for the
 * same year (so the next year's notice can be added without a new release).
 *
 * <pre>
 * year: 2026
 * source: 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04)
 * holidays:
 *   - { name: 元旦, from: "2026-01-01", to: "2026-01-03" }
 * working-weekend-days: ["2026-01-04"]
 * </pre>
 */
public final class ScheduleFiles {

	private static final String SHIPPED = "classpath*:calendar/cn/*.yml";

	private ScheduleFiles() {
	}

	/**
	 * Loads the calendar.
	 * @param directory a directory of further {@code *.yml} files, or null
	 * @return the calendar
	 * @throws IllegalStateException naming the file and what is wrong with it
	 */
	public static WorkingDayCalendar load(Path directory) {
		Map<Integer, YearSchedule> years = new LinkedHashMap<>();
		try {
			for (Resource resource : new PathMatchingResourcePatternResolver().getResources(SHIPPED)) {
				try (InputStream in = resource.getInputStream()) {
					YearSchedule year = parse(in, resource.getDescription());
					years.put(year.year(), year);
				}
			}
			if (directory != null && Files.isDirectory(directory)) {
				try (Stream<Path> files = Files.list(directory)) {
					for (Path file : files.filter((path) -> path.toString().endsWith(".yml")).sorted().toList()) {
						try (InputStream in = Files.newInputStream(file)) {
							YearSchedule year = parse(in, file.toString());
							years.put(year.year(), year);
						}
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the holiday schedules", ex);
		}
		return new WorkingDayCalendar(years.values());
	}

	/**
	 * Parses one year's file.
	 * @param in the file's content
	 * @param name the file, for errors
	 * @return the schedule
	 */
	static YearSchedule parse(InputStream in, String name) {
		try {
			Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
			if (!(loaded instanceof Map<?, ?> root)) {
				throw new IllegalArgumentException("not a YAML mapping");
			}
			Object yearValue = root.get("year");
			if (!(yearValue instanceof Integer year)) {
				throw new IllegalArgumentException("'year' must be a number");
			}
			Map<LocalDate, String> holidays = new LinkedHashMap<>();
			for (Object item : list(root.get("holidays"), "holidays")) {
				if (!(item instanceof Map<?, ?> holiday)) {
					throw new IllegalArgumentException("each holiday needs name, from and to");
				}
				String holidayName = String.valueOf(holiday.get("name"));
				LocalDate from = date(holiday.get("from"), "from");
				LocalDate to = date(holiday.get("to"), "to");
				if (to.isBefore(from)) {
					throw new IllegalArgumentException("holiday " + holidayName + " ends before it starts");
				}
				for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
					holidays.put(day, holidayName);
				}
			}
			Set<LocalDate> working = new LinkedHashSet<>();
			for (Object item : list(root.get("working-weekend-days"), "working-weekend-days")) {
				working.add(date(item, "working-weekend-days"));
			}
			Object source = root.get("source");
			return new YearSchedule(year, (source != null) ? source.toString() : "", holidays, working);
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("Holiday schedule " + name + " is invalid: " + ex.getMessage(), ex);
		}
	}

	private static List<?> list(Object value, String field) {
		if (value == null) {
			return List.of();
		}
		if (!(value instanceof List<?> list)) {
			throw new IllegalArgumentException("'" + field + "' must be a list");
		}
		return new ArrayList<>(list);
	}

	private static LocalDate date(Object value, String field) {
		if (value instanceof Date date) {
			// An unquoted YAML date.
			return LocalDate.ofInstant(date.toInstant(), ZoneOffset.UTC);
		}
		try {
			return LocalDate.parse(String.valueOf(value));
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException("'" + field + "' is not a date (YYYY-MM-DD): " + value);
		}
	}

}
