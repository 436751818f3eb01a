package com.onemusic.privacy.anonymizer;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

import org.springframework.http.HttpMethod;
import com.onemusic.privacy.anonymizer.erasure.ErasureRecord;
import com.onemusic.privacy.anonymizer.erasure.UserErasure;
import com.onemusic.privacy.anonymizer.ingest.AnalyticsIngestion;
import com.onemusic.privacy.anonymizer.keys.UserKeys;
import com.onemusic.privacy.anonymizer.profile.Profiles;
import com.onemusic.privacy.anonymizer.retention.RetentionSweep;
import com.onemusic.privacy.anonymizer.rules.FieldRules;
import com.onemusic.privacy.anonymizer.stats.Statistics;
import com.onemusic.privacy.personal.PersonalDataDetector;
import com.onemusic.privacy.platform.mongo.LeasedJob;
import com.onemusic.privacy.platform.outbox.MongoLease;
import com.onemusic.privacy.platform.outbox.MongoOutboxSource;
import com.onemusic.privacy.platform.outbox.OutboxRelay;
import com.onemusic.privacy.platform.security.EndpointRules;

/** Wires anonymizer-service's parts; invalid rules or a bad master key stop the start. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AnonymizerProperties.class)
class AnonymizerConfiguration {

	/** How often user keys under retired master keys are sealed again. */
	static final Duration REWRAP_INTERVAL = Duration.ofMinutes(1);

	/** Keys per re-sealing batch. */
	static final int REWRAP_BATCH = 500;

	/** Batches per re-sealing run at most. */
	static final int REWRAP_BATCHES = 100;

	@Bean
	FieldRules eventRules(AnonymizerProperties properties) {
		return FieldRules.parse(AnalyticsIngestion.COLLECTION, properties.events());
	}

	@Bean
	UserKeys userKeys(ReactiveMongoTemplate mongo, AnonymizerProperties properties) {
		return new UserKeys(mongo, properties.masterKey(), properties.retiredMasterKeys(), properties.lookupKey(),
				Clock.systemUTC());
	}

	@Bean
	PersonalDataDetector personalDataDetector() {
		return new PersonalDataDetector();
	}

	@Bean
	Profiles profiles(ReactiveMongoTemplate mongo, UserKeys keys) {
		return new Profiles(mongo, keys, Clock.systemUTC());
	}

	@Bean
	AnalyticsIngestion analyticsIngestion(ReactiveMongoTemplate mongo, UserKeys keys, FieldRules eventRules,
			PersonalDataDetector detector, Profiles profiles) {
		return new AnalyticsIngestion(mongo, keys, eventRules, detector, profiles, Clock.systemUTC());
	}

	@Bean
	MongoOutboxSource<ErasureRecord> erasureOutbox(ReactiveMongoTemplate mongo) {
		return new MongoOutboxSource<>("erasure reports", mongo, ErasureRecord.class, ErasureRecord.COLLECTION,
				ErasureRecord::requestId, UserErasure::report);
	}

	@Bean
	UserErasure userErasure(ReactiveMongoTemplate mongo, UserKeys keys, AnonymizerProperties properties,
			ObjectProvider<OutboxRelay> relay, @Lazy MongoOutboxSource<ErasureRecord> erasureOutbox) {
		return new UserErasure(mongo, keys, properties.quasiIdentifiers(), OutboxRelay.offerTo(relay, erasureOutbox),
				Clock.systemUTC());
	}

	@Bean
	Statistics statistics(ReactiveMongoTemplate mongo, FieldRules eventRules) {
		return new Statistics(mongo, eventRules);
	}

	@Bean
	RetentionSweep retentionSweep(ReactiveMongoTemplate mongo, AnonymizerProperties properties, MeterRegistry meters) {
		Map<String, RetentionSweep.Policy> policies = new LinkedHashMap<>();
		List<String> anonymized = new ArrayList<>();
		anonymized.add(FieldRules.USER_ID);
		anonymized.addAll(properties.quasiIdentifiers());
		properties.retention()
			.collections()
			.forEach((collection, retention) -> policies.put(collection, new RetentionSweep.Policy(retention.period(),
					retention.action(), retention.timeField(), anonymized)));
		RetentionSweep sweep = new RetentionSweep(mongo, policies, properties.retention().batchSize(),
				Clock.systemUTC());
		policies.keySet()
			.forEach((collection) -> FunctionCounter
				.builder("anonymizer.retention.processed", sweep,
						(counted) -> counted.processedThisProcess().getOrDefault(collection, 0L))
				.description("Expired documents deleted or anonymized by this instance")
				.tag("collection", collection)
				.register(meters));
		return sweep;
	}

	@Bean(initMethod = "start", destroyMethod = "stop")
	LeasedJob retentionScheduler(RetentionSweep sweep, ReactiveMongoTemplate mongo, AnonymizerProperties properties) {
		Duration interval = properties.retention().interval();
		// Expired documents deleted or anonymized, in batches that are each complete.
		return new LeasedJob("retention-sweep", () -> sweep.sweep(Integer.MAX_VALUE),
				new MongoLease(mongo, "anonymizer-retention", interval.multipliedBy(2)), interval);
	}

	/**
	 * While retired master keys are configured, the user keys sealed under them are
	 * sealed again under the master key, in batches, by one instance at a time; how the
	 * keys are sealed is counted after each run ({@code anonymizer.user.keys}, tag
	 * {@code sealed}: current, retired, before-rotation).
	 */
	@Bean(destroyMethod = "stop")
	LeasedJob masterKeyRewrap(UserKeys keys, ReactiveMongoTemplate mongo, AnonymizerProperties properties,
			MeterRegistry meters) {
		AtomicReference<UserKeys.Sealing> counted = new AtomicReference<>();
		LeasedJob job = new LeasedJob("master-key-rewrap",
				() -> keys.rewrap(REWRAP_BATCH, REWRAP_BATCHES)
					.flatMap((rewrapped) -> keys.sealing().doOnNext(counted::set).thenReturn(rewrapped)),
				new MongoLease(mongo, "anonymizer-master-key-rewrap", REWRAP_INTERVAL.multipliedBy(2)),
				REWRAP_INTERVAL);
		if (!properties.retiredMasterKeys().isEmpty()) {
			Map<String, ToLongFunction<UserKeys.Sealing>> counts = Map.of("current", UserKeys.Sealing::current,
					"retired", UserKeys.Sealing::retired, "before-rotation", UserKeys.Sealing::beforeRotation);
			counts.forEach((tag, count) -> Gauge
				.builder("anonymizer.user.keys", counted,
						(last) -> (last.get() != null) ? count.applyAsLong(last.get()) : Double.NaN)
				.description("User keys by the master key they are sealed under, as of the last re-sealing run")
				.tag("sealed", tag)
				.register(meters));
			// Scheduled only during a rotation: otherwise nothing is to be sealed again.
			job.start();
		}
		return job;
	}

	/**
	 * The indexes exist before the service takes events, and the user keys are named as
	 * they were stored (else the start fails).
	 */
	@Bean
	SmartInitializingSingleton anonymizerStoreInitializer(MongoOutboxSource<ErasureRecord> erasureOutbox,
			UserKeys keys) {
		return () -> {
			keys.checkLookupKey().then(keys.createIndexes()).block(Duration.ofSeconds(60));
			erasureOutbox.createIndex().block(Duration.ofSeconds(60));
		};
	}

	/**
	 * Who may call what: statistics, k-anonymity checks, the rules and retention need
	 * {@code stats:read}; masking for display {@code masking:use}.
	 */
	@Bean
	EndpointRules anonymizerEndpointRules() {
		return (exchanges) -> exchanges.pathMatchers(HttpMethod.POST, "/masking")
			.hasAuthority(EndpointRules.scope("masking:use"))
			.pathMatchers(HttpMethod.GET, "/statistics/*", "/rules", "/retention")
			.hasAuthority(EndpointRules.scope("stats:read"))
			.pathMatchers(HttpMethod.POST, "/k-anonymity")
			.hasAuthority(EndpointRules.scope("stats:read"));
	}

}
