package com.onemusic.privacy.testsupport;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import com.onemusic.privacy.events.ExportRequested;

/**
 * Events as dsr-service publishes them, for the services that answer them.
 */
public final class TestEvents {

	private TestEvents() {
	}

	/**
	 * A data export request, as dsr-service publishes it once the request is verified:
	 * due in 21 days (15 working days and their weekends).
	 * @param user the user whose data is asked for
	 * @param requestId the request's id
	 * @param participants the services asked for their part; none means every one
	 * @return the event, with a new event id
	 */
	public static ExportRequested exportRequested(String user, String requestId, String... participants) {
		return ExportRequested.newBuilder()
			.setEventId(UUID.randomUUID())
			.setOccurredAt(Instant.now())
			.setUserId(user)
			.setRequestId(requestId)
			.setParticipants(List.of(participants))
			.setDueDate(LocalDate.now().plusDays(21))
			.build();
	}

}
