package com.onemusic.privacy.dsr.messaging;

import java.util.Locale;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import com.onemusic.privacy.dsr.request.DeletionGround;
import com.onemusic.privacy.dsr.request.DsrChannel;
import com.onemusic.privacy.dsr.request.DsrRequests;
import com.onemusic.privacy.dsr.request.DsrType;
import com.onemusic.privacy.dsr.request.SubmitCommand;
import com.onemusic.privacy.dsr.verification.Contact;
import com.onemusic.privacy.events.DataSubjectRequestSubmitted;
import com.onemusic.privacy.platform.messaging.Listeners;
import com.onemusic.privacy.platform.messaging.RejectedRecord;
import com.onemusic.privacy.platform.web.ApiProblem;

/**
 * Takes data-subject requests that other backend services publish, under the same rules
 * as the API. The event id makes a redelivery answer the request it made; a request the
 * rules refuse goes to the dead-letter topic with the reason.
 */
@Component
class DsrSubmissionListener {

	private final DsrRequests requests;

	DsrSubmissionListener(DsrRequests requests) {
		this.requests = requests;
	}

	@KafkaListener(topics = "#{T(com.onemusic.privacy.events.Topics).DSR_REQUESTS.name()}")
	void on(DataSubjectRequestSubmitted event) {
		SubmitCommand command = new SubmitCommand(event.getUserId(),
				value(DsrType.class, event.getRequestType(), event), DsrChannel.BACKEND_SERVICE,
				(event.getGround() != null) ? value(DeletionGround.class, event.getGround(), event) : null,
				event.getDetails(), event.getScopes(),
				(event.getContact() != null) ? new Contact(
						value(Contact.Kind.class, event.getContact().getKind(), event), event.getContact().getAddress())
						: null,
				event.getIdentityAssertion(), event.getEventId().toString());
		this.requests.submit(command)
			.onErrorMap(ApiProblem.class,
					(ex) -> new RejectedRecord("DataSubjectRequestSubmitted " + event.getEventId() + " from "
							+ event.getSourceSystem() + " refused: " + ex.getMessage(), ex))
			.block(Listeners.TIMEOUT);
	}

	private static <E extends Enum<E>> E value(Class<E> type, String name, DataSubjectRequestSubmitted event) {
		try {
			return Enum.valueOf(type, name.trim().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new RejectedRecord("DataSubjectRequestSubmitted " + event.getEventId() + ": '" + name + "' is not a "
					+ type.getSimpleName() + " (one of " + java.util.List.of(type.getEnumConstants()) + ")");
		}
	}

}
