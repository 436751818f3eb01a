package com.onemusic.privacy.sharing;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.reactivestreams.client.MongoClient;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.HttpStatus;

import com.onemusic.privacy.events.PartnerCategory;
import com.onemusic.privacy.local.FreePorts;
import com.onemusic.privacy.platform.web.ApiProblem;
import com.onemusic.privacy.sharing.partner.PartnerRegistry;
import com.onemusic.privacy.sharing.share.ShareDecisions;
import com.onemusic.privacy.sharing.view.ConsentView;
import com.onemusic.privacy.sharing.view.UserState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * Reads of users the consent view does not hold in memory: coalesced, so that a burst of
 * decisions for such users costs the database a few queries instead of one each, every
 * user still given its own state (the users of a batch the feed writes are read together
 * too); and a read that fails fails only the decisions that waited for it, with 503, and
 * holds back no later read.
 */
@GatewayTest
class ConsentViewReadTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final ShareDecisions.Rules RULES = new ShareDecisions.Rules(
			Map.of(PartnerCategory.SERVICE_PROVIDER, "sharing.service-providers"), "sharing.sensitive", Set.of(),
			Duration.ofSeconds(2), Duration.ZERO);

	@Autowired
	private ReactiveMongoTemplate mongo;

	@Autowired
	private PartnerRegistry partners;

	@Value("${spring.mongodb.uri}")
	private String mongoUri;

	@Test
	void usersNotInMemoryAreReadAFewQueriesAtATimeEachWithItsOwnState() {
		List<String> granted = IntStream.range(0, 40).mapToObj((i) -> GatewayFixtures.user()).toList();
		granted.forEach((user) -> GatewayFixtures.grant(user, "sharing.service-providers"));
		await().atMost(WAIT)
			.until(() -> this.mongo.count(Query.query(Criteria.where("_id").in(granted)), ConsentView.USERS)
				.block(WAIT) == granted.size());
		List<String> asked = new ArrayList<>(granted);
		asked.add("never-seen-" + GatewayFixtures.user());
		asked.add(granted.get(0));
		List<Integer> reads = new CopyOnWriteArrayList<>();
		try (MongoClient client = GatewayFixtures.mongoClient(this.mongoUri, Duration.ofMillis(500),
				readsOfTheView(reads))) {
			// Nothing in memory: every user is read from the database.
			ConsentView view = new ConsentView(GatewayFixtures.template(client, this.mongoUri), 0);
			List<UserState> states = Flux.fromIterable(asked)
				.flatMapSequential(view::user, asked.size())
				.collectList()
				.block(WAIT);
			for (int i = 0; i < granted.size(); i++) {
				assertThat(states.get(i).consent("sharing.service-providers"))
					.as("the state of %s is its own", asked.get(i))
					.hasValueSatisfying((consent) -> assertThat(consent.granted()).isTrue());
			}
			assertThat(states.get(granted.size()).consent("sharing.service-providers")).as("a user the view never saw")
				.isEmpty();
			assertThat(states.get(granted.size() + 1).consent("sharing.service-providers")).isPresent();
			assertThat(reads).as("queries of the view's users, each user counted once per query")
				.hasSizeBetween(1, 10)
				.allSatisfy((users) -> assertThat(users).isBetween(1, ConsentView.MAX_USERS_PER_READ));

			// The feed's writes read the users' stored versions first: together too.
			reads.clear();
			Map<String, List<Object>> batch = new LinkedHashMap<>();
			granted.forEach((user) -> batch.put(user,
					List.of(GatewayFixtures.consent(user, "sharing.business-partners", true, GatewayFixtures.POLICY))));
			view.applyAll(batch).block(WAIT);
			assertThat(reads).as("queries of the view's users to apply a change to each of %d", granted.size())
				.hasSizeBetween(1, 10);
			reads.clear();
			assertThat(Flux.fromIterable(granted)
				.flatMap(view::user)
				.filter((state) -> state.consent("sharing.business-partners").isPresent())
				.count()
				.block(WAIT)).as("users whose stored view took the change").isEqualTo(granted.size());

			reads.clear();
			List<String> many = IntStream.range(0, 2 * ConsentView.MAX_USERS_PER_READ + 10)
				.mapToObj((i) -> "never-seen-" + GatewayFixtures.user())
				.toList();
			assertThat(Flux.fromIterable(many).flatMap(view::user, many.size()).count().block(WAIT))
				.isEqualTo(many.size());
			assertThat(reads).as("no query asks for more than %d users", ConsentView.MAX_USERS_PER_READ)
				.hasSizeGreaterThanOrEqualTo(3)
				.allSatisfy((users) -> assertThat(users).isBetween(1, ConsentView.MAX_USERS_PER_READ));
			assertThat(reads.stream().mapToInt(Integer::intValue).sum()).isEqualTo(many.size());
		}
	}

	@Test
	void aReadThatFailsFailsItsDecisionsWith503AndHoldsBackNoLaterRead() throws Exception {
		String nobodyListens = "mongodb://127.0.0.1:" + FreePorts.find() + "/privacy";
		try (MongoClient client = GatewayFixtures.mongoClient(nobodyListens, Duration.ofMillis(500),
				new CommandListener() {
				})) {
			ConsentView view = new ConsentView(GatewayFixtures.template(client, nobodyListens), 0);
			ShareDecisions decisions = new ShareDecisions(GatewayFixtures.template(client, nobodyListens),
					this.partners, view, (since, within) -> Mono.just(true), RULES, (entry) -> Mono.empty(),
					Clock.systemUTC());
			for (int attempt = 0; attempt < 2; attempt++) {
				long start = System.nanoTime();
				ApiProblem problem = catchThrowableOfType(ApiProblem.class,
						() -> decisions
							.decide("swift-logistics", GatewayFixtures.user(), "order-delivery",
									Map.of("orderId", "O-1"))
							.block(WAIT));
				assertThat(problem).as("attempt %d", attempt).isNotNull();
				assertThat(problem.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
				assertThat(problem.typeName()).isEqualTo("consent-view-unavailable");
				assertThat(Duration.ofNanos(System.nanoTime() - start))
					.as("failed within the read's timeout, not held behind an earlier read")
					.isLessThan(ConsentView.READ_TIMEOUT.plusSeconds(2));
			}
		}
	}

	/** Records how many users each query of the view's users asks for. */
	private static CommandListener readsOfTheView(List<Integer> reads) {
		return new CommandListener() {
			@Override
			public void commandStarted(CommandStartedEvent event) {
				BsonDocument command = event.getCommand();
				if (event.getCommandName().equals("find")
						&& ConsentView.USERS.equals(command.getString("find").getValue())) {
					BsonValue users = command.getDocument("filter").get("_id");
					reads.add((users != null && users.isDocument() && users.asDocument().containsKey("$in"))
							? users.asDocument().getArray("$in").size() : 1);
				}
			}
		};
	}

}
