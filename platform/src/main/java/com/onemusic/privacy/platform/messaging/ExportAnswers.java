package com.onemusic.privacy.platform.messaging;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.kafka.core.KafkaTemplate;

import com.onemusic.privacy.events.ExportFragmentReported;
import com.onemusic.privacy.events.ExportFragmentStatus;
import com.onemusic.privacy.events.ExportRequested;
import com.onemusic.privacy.events.Topics;

/**
 * A participant's answer to ExportRequested: its part of the user's data as one JSON
 * document, split into parts that fit a Kafka record, or NOTHING_HELD. Participants
 * answer from what they hold without writing anything, so answering again after a crash
 * or a redelivery gives the same document.
 */
public final class ExportAnswers {

	/** Characters per part: well under the default Kafka record size. */
	public static final int PART_SIZE = 256 * 1024;

	private ExportAnswers() {
	}

	/**
	 * Whether an ExportRequested asks a participant.
	 * @param event the request
	 * @param participant the participant's name
	 * @return true when it is named, or when nobody is
	 */
	public static boolean asks(ExportRequested event, String participant) {
		return event.getParticipants().isEmpty() || event.getParticipants().contains(participant);
	}

	/**
	 * The fragments of an answer.
	 * @param event the request
	 * @param participant the participant's name
	 * @param content the JSON document, or null when nothing is held
	 * @param nothingHeld what to say when nothing is held
	 * @return the fragments, in order
	 */
	public static List<ExportFragmentReported> fragments(ExportRequested event, String participant, String content,
			String nothingHeld) {
		List<ExportFragmentReported> fragments = new ArrayList<>();
		if (content == null) {
			fragments.add(base(event, participant).setStatus(ExportFragmentStatus.NOTHING_HELD)
				.setMessage(nothingHeld)
				.build());
			return fragments;
		}
		int parts = Math.max(1, (content.length() + PART_SIZE - 1) / PART_SIZE);
		for (int i = 0; i < parts; i++) {
			fragments.add(base(event, participant).setStatus(ExportFragmentStatus.DONE)
				.setPart(i + 1)
				.setParts(parts)
				.setContent(content.substring(i * PART_SIZE, Math.min(content.length(), (i + 1) * PART_SIZE)))
				.build());
		}
		return fragments;
	}

	/**
	 * Sends an answer and waits for Kafka to acknowledge it, before the request counts as
	 * handled: a crash before that means the request is answered again.
	 * @param kafka the template
	 * @param event the request
	 * @param participant the participant's name
	 * @param content the JSON document, or null when nothing is held
	 * @param nothingHeld what to say when nothing is held
	 * @throws InterruptedException if interrupted
	 * @throws ExecutionException if a send failed
	 * @throws TimeoutException if a send took longer than {@link Listeners#TIMEOUT}
	 */
	public static void send(KafkaTemplate<String, Object> kafka, ExportRequested event, String participant,
			String content, String nothingHeld) throws InterruptedException, ExecutionException, TimeoutException {
		for (ExportFragmentReported fragment : fragments(event, participant, content, nothingHeld)) {
			kafka.send(Topics.EXPORT_FRAGMENTS.name(), event.getUserId(), fragment)
				.get(Listeners.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	private static ExportFragmentReported.Builder base(ExportRequested event, String participant) {
		return ExportFragmentReported.newBuilder()
			.setEventId(UUID.randomUUID())
			.setOccurredAt(Instant.now())
			.setUserId(event.getUserId())
			.setRequestId(event.getRequestId())
			.setParticipant(participant);
	}

}
