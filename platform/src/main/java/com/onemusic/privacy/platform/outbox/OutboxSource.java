package com.onemusic.privacy.platform.outbox;

import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A collection whose documents are at once the record of a change and its outbox entry:
 * written in one single-document write, published by the {@link OutboxRelay} after Kafka
 * acknowledged every record, then marked published.
 */
public interface OutboxSource {

	/**
	 * A name for logs.
	 * @return the source's name
	 */
	String name();

	/**
	 * The oldest unpublished entries, in the order they must be published.
	 * @param limit how many at most
	 * @return the entries
	 */
	Flux<PendingEntry> pending(int limit);

	/**
	 * The pending entry of a document this source holds, for publishing a document just
	 * written without reading it back.
	 * @param document the document
	 * @return the entry
	 */
	PendingEntry entryOf(Object document);

	/**
	 * Marks entries published, once Kafka acknowledged all their records.
	 * @param entries the entries
	 * @return completion
	 */
	Mono<Void> markPublished(List<PendingEntry> entries);

}
