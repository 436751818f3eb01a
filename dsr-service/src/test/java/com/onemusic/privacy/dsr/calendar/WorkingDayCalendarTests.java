package com.onemusic.privacy.dsr.calendar;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Deadlines of 15 working days in the mainland-China calendar of 2026 (State Council
 * notice of 2025-11-04), for requests verified on ordinary days, on holidays and on
 * adjusted working weekend days, and across years whose schedule is not known yet.
 */
class WorkingDayCalendarTests {

	private final WorkingDayCalendar calendar = ScheduleFiles.load(null);

	@ParameterizedTest(name = "verified {0} -> due {1}")
	@CsvSource({
			// The examples.
			"2026-02-10, 2026-03-09", "2026-09-22, 2026-10-20", "2026-02-14, 2026-03-13",
			// New Year: 1-3 Jan off, Sunday 4 Jan worked.
			"2025-12-31, 2026-01-22", "2026-01-01, 2026-01-22", "2026-01-03, 2026-01-22", "2026-01-04, 2026-01-23",
			// Spring Festival: 15-23 Feb off, Saturdays 14 and 28 Feb worked.
			"2026-02-13, 2026-03-12", "2026-02-15, 2026-03-13", "2026-02-23, 2026-03-13", "2026-02-28, 2026-03-20",
			// Qingming: 4-6 Apr off.
			"2026-04-03, 2026-04-27", "2026-04-05, 2026-04-27",
			// Labour Day: 1-5 May off, Saturday 9 May worked.
			"2026-04-30, 2026-05-25", "2026-05-03, 2026-05-25", "2026-05-09, 2026-05-29",
			// Dragon Boat: 19-21 Jun off.
			"2026-06-18, 2026-07-10", "2026-06-20, 2026-07-10",
			// Mid-Autumn 25-27 Sep and National Day 1-7 Oct off, Sunday 20 Sep and
			// Saturday
			// 10 Oct worked.
			"2026-09-19, 2026-10-15", "2026-09-20, 2026-10-16", "2026-09-26, 2026-10-22", "2026-10-03, 2026-10-27",
			"2026-10-10, 2026-10-30" })
	void fifteenWorkingDaysAfterVerification(LocalDate verified, LocalDate due) {
		Deadline deadline = this.calendar.addWorkingDays(verified, 15);
		assertThat(deadline.dueDate()).isEqualTo(due);
		assertThat(deadline.provisional()).as("2025-12-31 counts only 2026 days").isFalse();
	}

	@Test
	void everyHolidayIsOffAndEveryAdjustedDayIsOn() {
		List<String> holidays = List.of("2026-01-01", "2026-01-02", "2026-01-03", "2026-02-15", "2026-02-16",
				"2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23",
				"2026-04-04", "2026-04-05", "2026-04-06", "2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04",
				"2026-05-05", "2026-06-19", "2026-06-20", "2026-06-21", "2026-09-25", "2026-09-26", "2026-09-27",
				"2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07");
		List<String> adjusted = List.of("2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20",
				"2026-10-10");
		int working = 0;
		for (LocalDate day = LocalDate.of(2026, 1, 1); day.getYear() == 2026; day = day.plusDays(1)) {
			boolean weekend = day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY;
			boolean expected = holidays.contains(day.toString()) ? false
					: (adjusted.contains(day.toString()) || !weekend);
			assertThat(this.calendar.isWorkingDay(day)).as(day.toString()).isEqualTo(expected);
			working += expected ? 1 : 0;
		}
		// 365 days, 104 weekend days, 6 of them worked, 33 holidays of which 14 on
		// weekends.
		assertThat(working).isEqualTo(365 - 104 + 6 - (33 - 14)).isEqualTo(248);
	}

	@Test
	void aYearWithoutItsScheduleCountsWeekendsOnlyAndIsProvisional() {
		// Verified in December 2026: the 2027 schedule is not loaded.
		Deadline deadline = this.calendar.addWorkingDays(LocalDate.of(2026, 12, 21), 15);
		assertThat(deadline.provisional()).isTrue();
		// 22-25 and 28-31 Dec (8), then the weekdays of 2027: Fri 1 Jan, 4-8 and 11 Jan.
		assertThat(deadline.dueDate()).isEqualTo(LocalDate.of(2027, 1, 11));
		assertThat(this.calendar.addWorkingDays(LocalDate.of(2026, 11, 2), 15).provisional()).isFalse();
	}

	@Test
	void aScheduleAddedInTheDirectoryMakesTheDeadlineFinal(@TempDir Path directory) throws Exception {
		Files.writeString(directory.resolve("2027.yml"), """
				year: 2027
				source: test notice
				holidays:
				  - { name: 元旦, from: "2027-01-01", to: "2027-01-03" }
				working-weekend-days: []
				""");
		WorkingDayCalendar reloaded = ScheduleFiles.load(directory);
		assertThat(reloaded.knownYears()).containsExactly(2026, 2027);
		Deadline deadline = reloaded.addWorkingDays(LocalDate.of(2026, 12, 21), 15);
		assertThat(deadline.provisional()).isFalse();
		// 1 Jan 2027 is now a holiday: one day later.
		assertThat(deadline.dueDate()).isEqualTo(LocalDate.of(2027, 1, 12));
	}

	@Test
	void workingDaysLeftCountsFromTomorrowAndGoesNegativeWhenOverdue() {
		LocalDate due = LocalDate.of(2026, 3, 9);
		assertThat(this.calendar.workingDaysLeft(LocalDate.of(2026, 3, 9), due)).isZero();
		assertThat(this.calendar.workingDaysLeft(LocalDate.of(2026, 3, 6), due)).isEqualTo(1);
		assertThat(this.calendar.workingDaysLeft(LocalDate.of(2026, 2, 10), due)).isEqualTo(15);
		assertThat(this.calendar.workingDaysLeft(LocalDate.of(2026, 3, 10), due)).isEqualTo(-1);
		assertThat(this.calendar.workingDaysLeft(LocalDate.of(2026, 3, 14), due)).isEqualTo(-4);
	}

	@Test
	void invalidFilesAreRefusedNamingWhatIsWrong() {
		assertThatIllegalStateException().isThrownBy(() -> parse("year: 2027\nworking-weekend-days: [\"2027-01-05\"]"))
			.withMessageContaining("bad.yml")
			.withMessageContaining("2027-01-05 is a TUESDAY");
		assertThatIllegalStateException()
			.isThrownBy(() -> parse("year: 2027\nholidays:\n  - { name: x, from: \"2026-12-31\", to: \"2027-01-01\" }"))
			.withMessageContaining("not in 2027");
		assertThatIllegalStateException().isThrownBy(() -> parse("year: 2027\nworking-weekend-days: [\"soon\"]"))
			.withMessageContaining("not a date");
		assertThatIllegalStateException().isThrownBy(() -> parse("holidays: []")).withMessageContaining("'year'");
	}

	private static YearSchedule parse(String yaml) {
		return ScheduleFiles.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "bad.yml");
	}

}
