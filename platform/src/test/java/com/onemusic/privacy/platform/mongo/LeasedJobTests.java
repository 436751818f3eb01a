package com.onemusic.privacy.platform.mongo;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

import com.onemusic.privacy.platform.outbox.MongoLease;
import com.onemusic.privacy.testsupport.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * A leased job runs on the one instance that holds its lease, and a failed run leaves the
 * next one to go on; over the MongoDB-wire server the leases live in.
 */
class LeasedJobTests {

	private MongoClient client;

	private ReactiveMongoTemplate mongo;

	@BeforeEach
	void connect() {
		this.client = MongoClients.create(TestInfrastructure.get().mongoUri());
		this.mongo = new ReactiveMongoTemplate(this.client, "leased-jobs");
	}

	@AfterEach
	void close() {
		this.client.close();
	}

	@Test
	void ofTwoInstancesOnlyTheLeaseHolderRunsTheJob() {
		String lease = "job-" + UUID.randomUUID();
		AtomicInteger first = new AtomicInteger();
		AtomicInteger second = new AtomicInteger();
		LeasedJob one = job(lease, () -> Mono.fromCallable(() -> (long) first.incrementAndGet()));
		LeasedJob other = job(lease, () -> Mono.fromCallable(() -> (long) second.incrementAndGet()));
		for (int i = 0; i < 3; i++) {
			one.run();
			other.run();
		}
		assertThat(first).hasValue(3);
		assertThat(second).as("the lease is held by the first").hasValue(0);
	}

	@Test
	void aFailedRunIsLoggedAndTheNextRunGoesOn() {
		AtomicInteger runs = new AtomicInteger();
		LeasedJob job = job("job-" + UUID.randomUUID(), () -> (runs.incrementAndGet() == 1)
				? Mono.error(new IllegalStateException("database unreachable")) : Mono.just(1L));
		assertThatNoException().isThrownBy(job::run);
		job.run();
		assertThat(runs).hasValue(2);
	}

	private LeasedJob job(String lease, Supplier<Mono<Long>> work) {
		return new LeasedJob("test-job", work, new MongoLease(this.mongo, lease, Duration.ofMinutes(1)),
				Duration.ofMinutes(1));
	}

}
