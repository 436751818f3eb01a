package com.onemusic.privacy.platform;

import org.bson.Document;
import reactor.core.publisher.Mono;

import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

/**
 * MongoDB is up when it answers {@code ping} on the service's database. Spring Boot's own
 * indicator sends {@code hello}, which the in-memory wire-protocol server of the local
 * system does not know; {@code ping} works on both it and a real MongoDB.
 */
class MongoPingHealthIndicator extends AbstractReactiveHealthIndicator {

	private final ReactiveMongoTemplate mongo;

	MongoPingHealthIndicator(ReactiveMongoTemplate mongo) {
		super("MongoDB health check failed");
		this.mongo = mongo;
	}

	@Override
	protected Mono<Health> doHealthCheck(Health.Builder builder) {
		return this.mongo.getMongoDatabase()
			.flatMap((database) -> Mono.from(database.runCommand(new Document("ping", 1)))
				.map((answer) -> builder.up().withDetail("database", database.getName()).build()));
	}

}
