package com.onemusic.privacy.platform.outbox;

import java.util.List;

/**
 * A stored change not yet published, with the records it publishes.
 *
 * @param id the document id
 * @param messages the records, in order
 * @param document the stored document itself
 */
public record PendingEntry(Object id, List<OutboxMessage> messages, Object document) {

	public PendingEntry {
		messages = List.copyOf(messages);
	}

}
