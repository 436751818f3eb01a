package com.onemusic.privacy.consent.ledger;

import java.util.Date;

import org.bson.Document;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

/**
 * Conversions of stored data that run once: each records its completion in
 * {@value #COLLECTION} under its id, so later starts do not run it again. A conversion
 * must be safe to run twice (two instances starting at once may both run it).
 */
public final class OneTimeMigrations {

	/** Where one-time conversions record that they are done. */
	public static final String COLLECTION = "consent_migrations";

	private OneTimeMigrations() {
	}

	/**
	 * Runs a conversion unless it is recorded as done, then records it.
	 * @param mongo the template
	 * @param id the conversion's id
	 * @param conversion the conversion
	 * @return completion
	 */
	static Mono<Void> once(ReactiveMongoTemplate mongo, String id, Mono<?> conversion) {
		return mongo.exists(Query.query(Criteria.where("_id").is(id)), COLLECTION)
			.flatMap((done) -> done ? Mono.empty()
					: conversion.then(mongo.save(new Document("_id", id).append("at", new Date()), COLLECTION)).then());
	}

}
