package com.onemusic.privacy.dsr.request;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One participant's part of an erasure, as it reported it.
 *
 * @param participant a service name (anonymizer-service) or {@code partner:<id>}
 * @param partner whether it is a partner, announced by the sharing gateway
 * @param required whether the request waits for it
 * @param status where it stands
 * @param askedAt when it was last asked
 * @param reportedAt when the participant made the report now held (its own clock), or
 * null
 * @param receivedAt when that report arrived, or null
 * @param message the participant's message, or null
 * @param counts what it erased, e.g. events -> 10000
 * @param verified the result of its own verification pass, or null
 * @param retained what it keeps
 * @param seenEventIds ids of the reports already applied (the most recent ones)
 */
public record Step(String participant, boolean partner, boolean required, StepStatus status, Instant askedAt,
		Instant reportedAt, Instant receivedAt, String message, Map<String, Long> counts, Boolean verified,
		List<RetainedItem> retained, List<String> seenEventIds) {

	/** How many report ids a step remembers, to drop redeliveries. */
	static final int REMEMBERED_REPORTS = 50;

	public Step {
		counts = (counts != null) ? Map.copyOf(counts) : Map.of();
		retained = (retained != null) ? List.copyOf(retained) : List.of();
		seenEventIds = (seenEventIds != null) ? List.copyOf(seenEventIds) : List.of();
	}

	static Step asked(String participant, boolean partner, boolean required, Instant now) {
		return new Step(participant, partner, required, StepStatus.ASKED, now, null, null, null, Map.of(), null,
				List.of(), List.of());
	}

	/**
	 * This step after a report, or this step unchanged when the report is a redelivery or
	 * older than what is held: a finished state is never replaced by an unfinished one,
	 * and of two reports of the same rank the later one (by the participant's clock)
	 * holds.
	 */
	Step after(StepReport report, Instant now) {
		if (this.seenEventIds.contains(report.eventId())) {
			return this;
		}
		List<String> seen = new ArrayList<>(this.seenEventIds);
		seen.add(report.eventId());
		if (seen.size() > REMEMBERED_REPORTS) {
			seen = seen.subList(seen.size() - REMEMBERED_REPORTS, seen.size());
		}
		boolean newer = report.status().rank() > this.status.rank() || (report.status().rank() == this.status.rank()
				&& (this.reportedAt == null || !report.occurredAt().isBefore(this.reportedAt)));
		if (!newer) {
			return new Step(this.participant, this.partner, this.required, this.status, this.askedAt, this.reportedAt,
					this.receivedAt, this.message, this.counts, this.verified, this.retained, seen);
		}
		List<RetainedItem> kept = report.retained()
			.stream()
			.map((item) -> new RetainedItem(this.participant, item.category(), item.reason(), item.retainUntil()))
			.toList();
		if (report.status() == StepStatus.REFUSED && kept.isEmpty()) {
			kept = List.of(new RetainedItem(this.participant, "all data held by " + this.participant,
					(report.message() != null) ? report.message() : "refused without a reason", null));
		}
		return new Step(this.participant, this.partner, this.required, report.status(), this.askedAt,
				report.occurredAt(), now, report.message(), report.counts(), report.verified(), kept, seen);
	}

	Step reasked(Instant now) {
		StepStatus status = this.status.finished() ? this.status : StepStatus.ASKED;
		return new Step(this.participant, this.partner, this.required, status, now, this.reportedAt, this.receivedAt,
				this.message, this.counts, this.verified, this.retained, this.seenEventIds);
	}

}
