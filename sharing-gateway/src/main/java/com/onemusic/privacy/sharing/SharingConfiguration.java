package com.onemusic.privacy.sharing;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;
import org.springframework.web.reactive.function.client.WebClient;

import org.springframework.http.HttpMethod;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.platform.PlatformProperties;
import com.onemusic.privacy.platform.messaging.RejectedRecord;
import com.onemusic.privacy.platform.outbox.MongoOutboxSource;
import com.onemusic.privacy.platform.outbox.OutboxRelay;
import com.onemusic.privacy.platform.security.EndpointRules;
import com.onemusic.privacy.platform.web.ApiProblem;
import com.onemusic.privacy.sharing.erasure.Callbacks;
import com.onemusic.privacy.sharing.erasure.DeletionPropagation;
import com.onemusic.privacy.sharing.erasure.PartnerStep;
import com.onemusic.privacy.sharing.erasure.WebhookDispatcher;
import com.onemusic.privacy.sharing.partner.PartnerRegistry;
import com.onemusic.privacy.sharing.partner.PartnerSecrets;
import com.onemusic.privacy.sharing.partner.UserReferences;
import com.onemusic.privacy.sharing.share.ShareDecisions;
import com.onemusic.privacy.sharing.share.ShareLogCatchUp;
import com.onemusic.privacy.sharing.share.ShareLogEntry;
import com.onemusic.privacy.sharing.share.ShareLogProjection;
import com.onemusic.privacy.sharing.view.ConsentFeed;
import com.onemusic.privacy.sharing.view.ConsentView;

/** Wires sharing-gateway's parts; an invalid partner or key stops the start. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SharingProperties.class)
class SharingConfiguration {

	/** How often each instance reads the partner registry again. */
	static final Duration PARTNER_REFRESH = Duration.ofSeconds(2);

	@Bean(destroyMethod = "close")
	PartnerRegistry partnerRegistry(ReactiveMongoTemplate mongo, SharingProperties properties) {
		return new PartnerRegistry(mongo, new PartnerSecrets(properties.secretsKey(), properties.retiredSecretsKeys()),
				PARTNER_REFRESH);
	}

	@Bean
	UserReferences userReferences(SharingProperties properties) {
		return new UserReferences(properties.userReferenceKey());
	}

	@Bean
	ConsentView consentView(ReactiveMongoTemplate mongo, SharingProperties properties) {
		return new ConsentView(mongo, properties.view().cacheSize());
	}

	@Bean
	ConsentFeed consentFeed(ConsentView view, ConcurrentKafkaListenerContainerFactory<Object, Object> factory,
			KafkaAdmin kafkaAdmin, ReactiveMongoTemplate mongo, SharingProperties properties,
			DeadLetterPublishingRecoverer deadLetters, PlatformProperties platform, MeterRegistry meters) {
		ConsentFeed feed = new ConsentFeed(view, factory, kafkaAdmin.getConfigurationProperties(), mongo,
				properties.view().probeInterval(), properties.view().positionSaveInterval(),
				properties.view().partitionCheckInterval(), Clock.systemUTC());
		// A record the view cannot take goes to the dead-letter topic as everywhere, and
		// counts as taken, so that the lag does not wait for it.
		DefaultErrorHandler errors = new DefaultErrorHandler((record, ex) -> {
			deadLetters.accept(record, ex);
			feed.skipped(record);
		}, new FixedBackOff(platform.retryInterval().toMillis(), platform.retryAttempts()));
		errors.addNotRetryableExceptions(RejectedRecord.class);
		feed.errorHandler(errors);
		Gauge.builder("sharing.consent.view.lag", feed, (measured) -> {
			Duration lag = measured.lag();
			return (lag != null) ? lag.toMillis() / 1000.0 : Double.POSITIVE_INFINITY;
		}).description("How far behind the consent topics the view may be").baseUnit("seconds").register(meters);
		FunctionCounter.builder("sharing.consent.view.probes", feed, ConsentFeed::probes)
			.description("Reads of the consent topics' end offsets: every probe interval and for waiting decisions")
			.register(meters);
		return feed;
	}

	/**
	 * Whether the share log holds every decision on the topic; data exports and deletion
	 * requests wait for it.
	 */
	@Bean(destroyMethod = "close")
	ShareLogCatchUp shareLogCatchUp(KafkaAdmin kafkaAdmin, @Value(ShareLogProjection.GROUP) String group) {
		return new ShareLogCatchUp(kafkaAdmin.getConfigurationProperties(), group);
	}

	/** How long a decision may wait for Kafka to acknowledge its record. */
	static final Duration RECORD_TIMEOUT = Duration.ofSeconds(5);

	/**
	 * A decision's two waits, timed: for the consent view to be shown current
	 * ({@code sharing.decision.view.wait}) and for Kafka to acknowledge the decision's
	 * record ({@code sharing.decision.record.wait}).
	 */
	@Bean
	ShareDecisions shareDecisions(ReactiveMongoTemplate mongo, PartnerRegistry partners, ConsentView view,
			ConsentFeed feed, SharingProperties properties, KafkaTemplate<String, Object> kafka, MeterRegistry meters) {
		Timer viewWait = decisionTimer("sharing.decision.view.wait",
				"Time a share decision waits for the consent view to hold every change made before it", meters);
		Timer recordWait = decisionTimer("sharing.decision.record.wait",
				"Time a share decision waits for Kafka to acknowledge its DataShared record", meters);
		return new ShareDecisions(mongo, partners, view,
				(since, within) -> timed(feed.caughtUpSince(since, within), viewWait),
				new ShareDecisions.Rules(properties.categoryScopes(), properties.sensitiveScope(),
						Set.copyOf(properties.sensitiveCategories()), properties.view().maxLag(),
						properties.view().maxStaleness()),
				(entry) -> timed(record(kafka, entry, RECORD_TIMEOUT), recordWait), Clock.systemUTC());
	}

	/**
	 * Sends a decision's DataShared record and completes once Kafka acknowledged it;
	 * fails with {@code 503 decision-not-recorded} when it is not acknowledged within the
	 * timeout or cannot be sent.
	 */
	static Mono<Void> record(KafkaTemplate<String, Object> kafka, ShareLogEntry entry, Duration timeout) {
		return Mono
			.fromFuture(
					() -> kafka.send(Topics.SHARING_DECISIONS.name(), entry.userId(), SharingEvents.dataShared(entry)))
			.timeout(timeout)
			.onErrorMap((ex) -> new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "decision-not-recorded",
					"The decision could not be recorded, so nothing may be shared; try again shortly"))
			.then();
	}

	private static Timer decisionTimer(String name, String description, MeterRegistry meters) {
		return Timer.builder(name)
			.description(description)
			.publishPercentiles(0.5, 0.99)
			.publishPercentileHistogram()
			.register(meters);
	}

	private static <T> Mono<T> timed(Mono<T> wait, Timer timer) {
		return Mono.defer(() -> {
			long start = System.nanoTime();
			return wait.doFinally((signal) -> timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
		});
	}

	@Bean
	MongoOutboxSource<PartnerStep> stepOutbox(ReactiveMongoTemplate mongo) {
		return new MongoOutboxSource<>("partner erasure steps", mongo, PartnerStep.class, PartnerStep.COLLECTION,
				PartnerStep::id, SharingEvents::of);
	}

	@Bean
	WebClient webhookClient(SharingProperties properties) {
		HttpClient http = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.webhooks().timeout().toMillis())
			.responseTimeout(properties.webhooks().timeout());
		return WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
	}

	@Bean
	DeletionPropagation deletionPropagation(ReactiveMongoTemplate mongo, UserReferences references, JsonMapper json,
			ObjectProvider<OutboxRelay> relay, @Lazy MongoOutboxSource<PartnerStep> stepOutbox,
			@Lazy WebhookDispatcher dispatcher, SharingProperties properties) {
		return new DeletionPropagation(mongo, references, json, OutboxRelay.offerTo(relay, stepOutbox),
				dispatcher::wake, properties.callbackBaseUrl(), Clock.systemUTC());
	}

	@Bean
	WebhookDispatcher webhookDispatcher(ReactiveMongoTemplate mongo, PartnerRegistry partners,
			DeletionPropagation propagation, WebClient webhookClient, SharingProperties properties) {
		return new WebhookDispatcher(mongo, partners, propagation, webhookClient, properties.webhooks(),
				Clock.systemUTC());
	}

	@Bean
	Callbacks callbacks(ReactiveMongoTemplate mongo, PartnerRegistry partners, DeletionPropagation propagation,
			JsonMapper json, SharingProperties properties) {
		return new Callbacks(mongo, partners, propagation, json, properties.webhooks().timestampTolerance(),
				Clock.systemUTC());
	}

	/** Indexes and the configured partners exist before the service takes requests. */
	@Bean
	SmartInitializingSingleton sharingStoreInitializer(PartnerRegistry partners, ConsentView view,
			ShareDecisions decisions, DeletionPropagation propagation, MongoOutboxSource<PartnerStep> stepOutbox,
			SharingProperties properties) {
		return () -> Mono
			.when(view.createIndexes(), decisions.createIndexes(), propagation.createIndexes(),
					stepOutbox.createIndex())
			.then(partners.initialize(properties.partners()))
			.block(Duration.ofSeconds(60));
	}

	/**
	 * Who may call what: backend services ask for shares with {@code share:request};
	 * legal-order disclosures need {@code legal:disclose}; the partner registry and the
	 * deliveries {@code partner:admin}; the share log {@code share:read} (an end user
	 * only its own). Partner callbacks carry no token: their signature authenticates
	 * them.
	 */
	@Bean
	EndpointRules sharingEndpointRules() {
		String admin = EndpointRules.scope("partner:admin");
		return (exchanges) -> exchanges.pathMatchers(HttpMethod.POST, "/partners/*/callbacks")
			.permitAll()
			.pathMatchers(HttpMethod.POST, "/shares")
			.hasAuthority(EndpointRules.scope("share:request"))
			.pathMatchers(HttpMethod.POST, "/disclosures")
			.hasAuthority(EndpointRules.scope("legal:disclose"))
			.pathMatchers(HttpMethod.GET, "/shares/*", "/users/*/shares")
			.hasAuthority(EndpointRules.scope("share:read"))
			.pathMatchers(HttpMethod.GET, "/partners", "/partners/*", "/consent-view")
			.hasAnyAuthority(admin, EndpointRules.scope("share:request"))
			.pathMatchers("/partners/**", "/deliveries", "/deliveries/**")
			.hasAuthority(admin);
	}

}
