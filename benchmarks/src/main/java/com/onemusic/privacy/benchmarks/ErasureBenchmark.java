package com.onemusic.privacy.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import reactor.core.publisher.Flux;

import org.springframework.context.ConfigurableApplicationContext;

import com.onemusic.privacy.anonymizer.AnonymizerServiceApplication;
import com.onemusic.privacy.anonymizer.erasure.ErasureRecord;
import com.onemusic.privacy.anonymizer.erasure.UserErasure;
import com.onemusic.privacy.anonymizer.ingest.AnalyticsIngestion;
import com.onemusic.privacy.events.UserActivityRecorded;
import com.onemusic.privacy.local.LocalInfrastructure;
import com.onemusic.privacy.platform.PrivacyService;

/**
 * Erasure of a user with many stored events: stores the events through the real
 * de-identification path (MongoDB wire server), beside other users' events, then times
 * the erasure (key destroyed, residue removed, verified) several times, each with a new
 * user. Arguments: events of the erased user (default 10000), other users' events
 * (default 20000), rounds (default 3).
 */
public final class ErasureBenchmark {

	private ErasureBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int events = (args.length > 0) ? Integer.parseInt(args[0]) : 10_000;
		int others = (args.length > 1) ? Integer.parseInt(args[1]) : 20_000;
		int rounds = (args.length > 2) ? Integer.parseInt(args[2]) : 3;
		System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
		PrivacyService.trustEventsPackage();
		try (LocalInfrastructure infrastructure = InProcess.infrastructure("erasure-benchmark");
				ConfigurableApplicationContext service = InProcess.run(
						PrivacyService.builder(AnonymizerServiceApplication.class, AnonymizerServiceApplication.NAME),
						infrastructure, infrastructure.mongoUri("erasure-benchmark"))) {
			AnalyticsIngestion ingestion = service.getBean(AnalyticsIngestion.class);
			UserErasure erasure = service.getBean(UserErasure.class);
			long start = System.nanoTime();
			store(ingestion, null, others);
			System.out.printf("%d events of other users stored in %.1f s%n", others, (System.nanoTime() - start) / 1e9);
			System.out.printf("%6s %8s %12s %12s %10s%n", "round", "events", "store s", "erase ms", "verified");
			for (int round = 1; round <= rounds; round++) {
				String user = "bench-" + UUID.randomUUID();
				long stored = System.nanoTime();
				store(ingestion, user, events);
				double storeSeconds = (System.nanoTime() - stored) / 1e9;
				long erasing = System.nanoTime();
				ErasureRecord record = erasure.erase(user, "dsr-" + UUID.randomUUID()).block(Duration.ofMinutes(5));
				double eraseMillis = (System.nanoTime() - erasing) / 1e6;
				System.out.printf("%6d %8d %12.1f %12.0f %10s%n", round, record.counts().get("eventsUnlinked"),
						storeSeconds, eraseMillis, record.verified());
			}
		}
	}

	private static void store(AnalyticsIngestion ingestion, String user, int count) {
		Flux.range(0, count)
			.flatMap((i) -> ingestion.ingest(UserActivityRecorded.newBuilder()
				.setEventId(UUID.randomUUID())
				.setOccurredAt(Instant.now())
				.setUserId((user != null) ? user : "other-" + (i % 500))
				.setEventType("play")
				.setCity("北京")
				.setIp("203.0.113.77")
				.build()), 16)
			.blockLast(Duration.ofMinutes(10));
	}

}
