package com.onemusic.privacy.benchmarks;

import java.time.Duration;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

class MongoServerJvmTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@Test
	void aServerInAJvmOfItsOwnAnswersTheRealDriverCountsItsCpuAndIsStopped() throws Exception {
		try {
			String uri = MongoServerJvm.start("mongo-jvm-test");
			try (MongoClient client = MongoClients.create(uri)) {
				MongoCollection<Document> collection = client.getDatabase("privacy").getCollection("probe");
				Mono.from(collection.insertOne(new Document("_id", "a").append("n", 1))).block(WAIT);
				Document found = Mono.from(collection.find().first()).block(WAIT);
				assertThat(found).containsEntry("_id", "a").containsEntry("n", 1);
			}
			assertThat(MongoServerJvm.any()).isTrue();
			assertThat(MongoServerJvm.cpu()).isPositive();
		}
		finally {
			MongoServerJvm.stopAll();
		}
		assertThat(MongoServerJvm.any()).isFalse();
		assertThat(MongoServerJvm.cpu()).isZero();
	}

}
