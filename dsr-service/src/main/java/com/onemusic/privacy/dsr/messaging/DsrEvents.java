package com.onemusic.privacy.dsr.messaging;

import java.util.List;
import java.util.UUID;

import com.onemusic.privacy.dsr.request.DsrRequest;
import com.onemusic.privacy.dsr.request.LogEntry;
import com.onemusic.privacy.events.ConsentWithdrawalRequested;
import com.onemusic.privacy.events.DeletionKind;
import com.onemusic.privacy.events.DeletionRequested;
import com.onemusic.privacy.events.DsrChannel;
import com.onemusic.privacy.events.DsrStatus;
import com.onemusic.privacy.events.DsrStatusChanged;
import com.onemusic.privacy.events.DsrType;
import com.onemusic.privacy.events.ExportRequested;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.platform.outbox.OutboxMessage;

/** The events a request's log publishes, keyed by user. */
public final class DsrEvents {

	private DsrEvents() {
	}

	/**
	 * The records of a request's unpublished log entries.
	 * @param request the request
	 * @param requiredParticipants the participants deletion requests wait for
	 * @return the records, in log order
	 */
	public static List<OutboxMessage> of(DsrRequest request, List<String> requiredParticipants) {
		return request.unpublished().stream().map((entry) -> switch (entry.kind()) {
			case DELETION_REQUESTED -> new OutboxMessage(Topics.DELETION_REQUESTED.name(), request.userId(),
					deletionRequested(request, entry, requiredParticipants));
			case EXPORT_REQUESTED ->
				new OutboxMessage(Topics.EXPORT_REQUESTED.name(), request.userId(), exportRequested(request, entry));
			case WITHDRAWAL_REQUESTED -> new OutboxMessage(Topics.CONSENT_WITHDRAWAL_REQUESTED.name(), request.userId(),
					withdrawalRequested(request, entry));
			case STATUS -> new OutboxMessage(Topics.DSR_STATUS.name(), request.userId(), statusChanged(request, entry));
		}).toList();
	}

	static DsrStatusChanged statusChanged(DsrRequest request, LogEntry entry) {
		return DsrStatusChanged.newBuilder()
			.setEventId(UUID.fromString(entry.eventId()))
			.setOccurredAt(entry.at())
			.setUserId(request.userId())
			.setRequestId(request.id())
			.setRequestType(DsrType.valueOf(request.type().name()))
			.setStatus(DsrStatus.valueOf(entry.status().name()))
			.setPreviousStatus(
					(entry.previousStatus() != null) ? DsrStatus.valueOf(entry.previousStatus().name()) : null)
			.setChannel(DsrChannel.valueOf(request.channel().name()))
			.setDueDate(request.dueDate())
			.setDueDateProvisional(request.dueDateProvisional())
			.setReason(entry.reason())
			.build();
	}

	static ConsentWithdrawalRequested withdrawalRequested(DsrRequest request, LogEntry entry) {
		return ConsentWithdrawalRequested.newBuilder()
			.setEventId(UUID.fromString(entry.eventId()))
			.setOccurredAt(entry.at())
			.setUserId(request.userId())
			.setRequestId(request.id())
			.setScopes(request.scopes())
			.setDueDate(request.dueDate())
			.build();
	}

	static ExportRequested exportRequested(DsrRequest request, LogEntry entry) {
		return ExportRequested.newBuilder()
			.setEventId(UUID.fromString(entry.eventId()))
			.setOccurredAt(entry.at())
			.setUserId(request.userId())
			.setRequestId(request.id())
			.setParticipants(entry.participants())
			.setDueDate(request.dueDate())
			.build();
	}

	static DeletionRequested deletionRequested(DsrRequest request, LogEntry entry, List<String> requiredParticipants) {
		boolean everyone = entry.participants().containsAll(requiredParticipants);
		return DeletionRequested.newBuilder()
			.setEventId(UUID.fromString(entry.eventId()))
			.setOccurredAt(entry.at())
			.setUserId(request.userId())
			.setRequestId(request.id())
			.setKind(request.type() == com.onemusic.privacy.dsr.request.DsrType.ACCOUNT_CLOSURE
					? DeletionKind.ACCOUNT_CLOSURE : DeletionKind.DELETION)
			.setGround(com.onemusic.privacy.events.DeletionGround.valueOf(request.ground().name()))
			.setVerifiedAt(request.verifiedAt())
			.setDueDate(request.dueDate())
			.setDueDateProvisional(request.dueDateProvisional())
			.setRequiredParticipants(requiredParticipants)
			.setOnlyParticipants(everyone ? List.of() : entry.participants())
			.build();
	}

}
