package com.onemusic.privacy.platform.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.bson.Document;

import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

import com.onemusic.privacy.platform.mongo.DuplicateKeys;

/**
 * A time-limited lease held in one MongoDB document, so that of several instances of a
 * service only one runs a job (the outbox relay) at a time. A holder that dies loses the
 * lease when it expires.
 */
public class MongoLease {

	static final String COLLECTION = "leases";

	private final ReactiveMongoTemplate mongo;

	private final String name;

	private final String owner = UUID.randomUUID().toString();

	private final Duration ttl;

	public MongoLease(ReactiveMongoTemplate mongo, String name, Duration ttl) {
		this.mongo = mongo;
		this.name = name;
		this.ttl = ttl;
	}

	/**
	 * Takes or renews the lease. Blocking: call it from the job's own thread.
	 * @return whether this instance holds the lease now
	 */
	public boolean tryAcquire() {
		Instant now = Instant.now();
		Query free = Query.query(Criteria.where("_id")
			.is(this.name)
			.orOperator(Criteria.where("expiresAt").lt(now), Criteria.where("owner").is(this.owner)));
		Update take = new Update().set("owner", this.owner).set("expiresAt", now.plus(this.ttl));
		try {
			Document held = this.mongo
				.findAndModify(free, take, FindAndModifyOptions.options().upsert(true).returnNew(true), Document.class,
						COLLECTION)
				.block(this.ttl);
			return held != null && this.owner.equals(held.getString("owner"));
		}
		catch (RuntimeException ex) {
			if (DuplicateKeys.isDuplicateKey(ex)) {
				return false;
			}
			throw ex;
		}
	}

	/** Gives the lease up, so another instance can take it at once. */
	public void release() {
		this.mongo.remove(Query.query(Criteria.where("_id").is(this.name).and("owner").is(this.owner)), COLLECTION)
			.block(this.ttl);
	}

}
