package com.onemusic.privacy.platform.mongo;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import com.mongodb.client.model.InsertManyOptions;
import org.bson.Document;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

/**
 * Inserts documents of many concurrent requests together (group commit): while one insert
 * is on its way, the documents that arrive wait, and go in the next one, all in a single
 * {@code insertMany}. Each caller's Mono completes when its own document is written, so a
 * request is answered only after its write, as with a single insert, but the database
 * sees one round trip for many requests under load, and a lone request goes at once.
 */
public final class GroupInsert {

	private final ReactiveMongoTemplate mongo;

	private final String collection;

	private final int maxBatch;

	private final Queue<Waiting> queue = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean writing = new AtomicBoolean();

	/**
	 * Creates a group insert.
	 * @param mongo the template
	 * @param collection the collection
	 * @param maxBatch the most documents one insert takes
	 */
	public GroupInsert(ReactiveMongoTemplate mongo, String collection, int maxBatch) {
		this.mongo = mongo;
		this.collection = collection;
		this.maxBatch = maxBatch;
	}

	/**
	 * Inserts a document with the others waiting at the same time.
	 * @param document the document, with its {@code _id}
	 * @return completion once it is written; an error if the insert that carried it
	 * failed
	 */
	public Mono<Void> insert(Document document) {
		return Mono.create((sink) -> {
			this.queue.add(new Waiting(document, sink));
			drain();
		});
	}

	private void drain() {
		if (this.queue.isEmpty() || !this.writing.compareAndSet(false, true)) {
			return;
		}
		List<Waiting> batch = new ArrayList<>();
		for (Waiting next = this.queue.poll(); next != null; next = this.queue.poll()) {
			batch.add(next);
			if (batch.size() >= this.maxBatch) {
				break;
			}
		}
		if (batch.isEmpty()) {
			this.writing.set(false);
			drain();
			return;
		}
		List<Document> documents = batch.stream().map(Waiting::document).toList();
		this.mongo.getCollection(this.collection)
			.flatMap((target) -> Mono.from(target.insertMany(documents, new InsertManyOptions().ordered(false))))
			.subscribe((result) -> {
			}, (error) -> finish(batch, error), () -> finish(batch, null));
	}

	private void finish(List<Waiting> batch, Throwable error) {
		this.writing.set(false);
		// The next batch starts before this one's callers go on, so that documents
		// arriving meanwhile do not wait for them.
		drain();
		for (Waiting waiting : batch) {
			if (error != null) {
				waiting.sink().error(error);
			}
			else {
				waiting.sink().success();
			}
		}
	}

	private record Waiting(Document document, MonoSink<Void> sink) {

	}

}
