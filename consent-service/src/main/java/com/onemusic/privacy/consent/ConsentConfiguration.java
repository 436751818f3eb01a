package com.onemusic.privacy.consent;

import java.time.Clock;
import java.time.Duration;

import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.config.ContainerPostProcessor;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.DefaultAfterRollbackProcessor;
import org.springframework.util.backoff.FixedBackOff;

import org.springframework.http.HttpMethod;
import com.onemusic.privacy.consent.ledger.ClosedAccounts;
import com.onemusic.privacy.consent.ledger.ConsentHeads;
import com.onemusic.privacy.consent.ledger.ConsentLedger;
import com.onemusic.privacy.consent.ledger.ConsentProjection;
import com.onemusic.privacy.consent.ledger.ConsentRules;
import com.onemusic.privacy.consent.ledger.LedgerEntry;
import com.onemusic.privacy.consent.messaging.ConsentEvents;
import com.onemusic.privacy.consent.messaging.ConsentStatePublisher;
import com.onemusic.privacy.consent.messaging.ConsentStates;
import com.onemusic.privacy.consent.messaging.StateTransactions;
import com.onemusic.privacy.consent.policy.PolicyService;
import com.onemusic.privacy.consent.policy.PolicyVersion;
import com.onemusic.privacy.consent.receipt.ConsentReceipts;
import com.onemusic.privacy.consent.scope.ScopeCatalog;
import com.onemusic.privacy.platform.mongo.LeasedJob;
import com.onemusic.privacy.platform.outbox.MongoLease;
import com.onemusic.privacy.platform.outbox.MongoOutboxSource;
import com.onemusic.privacy.platform.outbox.OutboxRelay;
import com.onemusic.privacy.platform.security.EndpointRules;

/** Wires consent-service's parts. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsentProperties.class)
class ConsentConfiguration {

	@Bean
	ScopeCatalog scopeCatalog(ConsentProperties properties) {
		return properties.catalog();
	}

	@Bean
	PolicyService policyService(ReactiveMongoTemplate mongo, ScopeCatalog catalog, ObjectProvider<OutboxRelay> relay,
			@Lazy MongoOutboxSource<PolicyVersion> policyOutbox) {
		return new PolicyService(mongo, catalog, OutboxRelay.offerTo(relay, policyOutbox));
	}

	@Bean(destroyMethod = "close")
	ConsentHeads consentHeads(ReactiveMongoTemplate mongo, ConsentProperties properties) {
		return new ConsentHeads(mongo, properties.headCacheSize());
	}

	@Bean
	ConsentLedger consentLedger(ReactiveMongoTemplate mongo, ConsentHeads heads, ScopeCatalog catalog,
			ConsentProperties properties, PolicyService policies, ObjectProvider<OutboxRelay> relay,
			@Lazy MongoOutboxSource<LedgerEntry> ledgerOutbox) {
		return new ConsentLedger(mongo, heads,
				new ConsentRules(catalog, properties.minorAge(), properties.maxBatchSize()), policies,
				OutboxRelay.offerTo(relay, ledgerOutbox), Clock.systemUTC());
	}

	@Bean
	ConsentProjection consentProjection(ReactiveMongoTemplate mongo) {
		return new ConsentProjection(mongo);
	}

	@Bean
	ConsentReceipts consentReceipts(ConsentProperties properties, ScopeCatalog catalog) {
		return new ConsentReceipts(properties, catalog);
	}

	@Bean
	MongoOutboxSource<LedgerEntry> ledgerOutbox(ReactiveMongoTemplate mongo, ConsentProjection projection,
			PolicyService policies) {
		return new MongoOutboxSource<>("consent ledger", mongo, LedgerEntry.class, LedgerEntry.COLLECTION,
				LedgerEntry::id, ConsentEvents::of,
				(entries) -> policies.history().flatMap((history) -> projection.apply(entries, history)));
	}

	@Bean
	MongoOutboxSource<PolicyVersion> policyOutbox(ReactiveMongoTemplate mongo) {
		return new MongoOutboxSource<>("policy versions", mongo, PolicyVersion.class, PolicyVersion.COLLECTION,
				PolicyVersion::version, ConsentEvents::of);
	}

	/**
	 * The transactional producer of consent states.
	 */
	@Bean(destroyMethod = "close")
	StateTransactions stateTransactions(ProducerFactory<Object, Object> producerFactory) {
		return new StateTransactions(producerFactory);
	}

	/**
	 * The state publisher's container takes each batch in a Kafka transaction (states and
	 * offsets committed together) and, when one fails, rolls it back and takes the batch
	 * again every second until it works, polling meanwhile (it stays in the group); it
	 * never dead-letters: its records are the changes every other consumer reads too.
	 */
	@Bean(ConsentStatePublisher.RETRIES)
	ContainerPostProcessor<Object, Object, AbstractMessageListenerContainer<Object, Object>> consentStateRetries(
			StateTransactions transactions) {
		return (container) -> {
			container.getContainerProperties().setKafkaAwareTransactionManager(transactions.manager());
			DefaultAfterRollbackProcessor<Object, Object> retries = new DefaultAfterRollbackProcessor<>(
					(record, ex) -> {
						throw new IllegalStateException("Consent states are retried until published", ex);
					}, new FixedBackOff(1000, FixedBackOff.UNLIMITED_ATTEMPTS));
			retries.setLogLevel(KafkaException.Level.WARN);
			container.setAfterRollbackProcessor(retries);
			// Without an error handler a failed batch rolls its transaction back at once
			// (an error handler would retry it inside the transaction).
			container.setCommonErrorHandler(null);
		};
	}

	@Bean
	ConsentStates consentStates(ConsentLedger ledger, StateTransactions transactions,
			KafkaTemplate<String, Object> kafka) {
		return new ConsentStates(ledger, transactions.template(), kafka, Clock.systemUTC());
	}

	@Bean
	ClosedAccounts closedAccounts(ReactiveMongoTemplate mongo, ConsentHeads heads, ConsentProperties properties,
			ConsentStates states) {
		return new ClosedAccounts(mongo, heads, properties.closedAccountRetention(), Clock.systemUTC(),
				states::deleted);
	}

	/** Deletes the ledgers of closed accounts whose retention period ended. */
	@Bean(initMethod = "start", destroyMethod = "stop")
	LeasedJob closedAccountSweep(ClosedAccounts closedAccounts, ReactiveMongoTemplate mongo,
			ConsentProperties properties) {
		Duration interval = properties.closedAccountSweepInterval();
		return new LeasedJob("closed-account-ledger-sweep", closedAccounts::sweep,
				new MongoLease(mongo, "consent-closed-account-sweep", interval.multipliedBy(2)), interval);
	}

	/** Indexes and the initial policy exist before the service takes requests. */
	@Bean
	SmartInitializingSingleton consentStoreInitializer(ConsentLedger ledger, ConsentProjection projection,
			ClosedAccounts closedAccounts, PolicyService policies, MongoOutboxSource<LedgerEntry> ledgerOutbox,
			MongoOutboxSource<PolicyVersion> policyOutbox, ConsentProperties properties) {
		return () -> Mono
			.when(ledger.createIndexes(), projection.createIndexes(), closedAccounts.createIndexes(),
					ledgerOutbox.createIndex(), policyOutbox.createIndex())
			.then(policies.initialize(properties.initialPolicy()))
			.block(Duration.ofSeconds(60));
	}

	/**
	 * Who may call what: reading consents and the catalog needs {@code consent:read},
	 * changing them {@code consent:write} (an end user only its own: see the
	 * controllers), publishing a policy and listing who must consent again
	 * {@code consent:admin}.
	 */
	@Bean
	EndpointRules consentEndpointRules() {
		return (exchanges) -> exchanges.pathMatchers(HttpMethod.POST, "/policies")
			.hasAuthority(EndpointRules.scope("consent:admin"))
			.pathMatchers(HttpMethod.GET, "/policies/*/reconsent")
			.hasAuthority(EndpointRules.scope("consent:admin"))
			.pathMatchers(HttpMethod.PUT, "/users/*/consents")
			.hasAuthority(EndpointRules.scope("consent:write"))
			.pathMatchers(HttpMethod.GET, "/scopes", "/scopes/*", "/policies", "/policies/*", "/receipts/*",
					"/users/*/consents", "/users/*/consents/history", "/users/*/ledger/verification")
			.hasAuthority(EndpointRules.scope("consent:read"));
	}

}
