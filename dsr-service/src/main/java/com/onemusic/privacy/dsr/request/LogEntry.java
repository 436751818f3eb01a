package com.onemusic.privacy.dsr.request;

import java.time.Instant;
import java.util.List;

/**
 * A fact in a request's life, published once as an event: a status change
 * (DsrStatusChanged, so the status history is the list of these), or the request to the
 * participants to erase (DeletionRequested), to give their part of an export
 * (ExportRequested) or to withdraw consents (ConsentWithdrawalRequested).
 *
 * @param seq the number of the fact within the request, from 1
 * @param kind what happened
 * @param eventId the id of the event that publishes it
 * @param at when it happened
 * @param status the status after it
 * @param previousStatus the status before a status change, or null
 * @param reason why, or null
 * @param participants for a deletion request, the participants asked (all required ones,
 * or the one asked again)
 */
public record LogEntry(long seq, Kind kind, String eventId, Instant at, DsrStatus status, DsrStatus previousStatus,
		String reason, List<String> participants) {

	public LogEntry {
		participants = (participants != null) ? List.copyOf(participants) : List.of();
	}

	/** What a fact is. */
	public enum Kind {

		/** The status changed (or, with the same status, the deadline moved). */
		STATUS,

		/** The participants were asked to erase the user's data. */
		DELETION_REQUESTED,

		/** The participants were asked for the user's data (ExportRequested). */
		EXPORT_REQUESTED,

		/**
		 * consent-service was asked to withdraw consents (ConsentWithdrawalRequested).
		 */
		WITHDRAWAL_REQUESTED

	}

}
