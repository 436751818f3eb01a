package com.onemusic.privacy.benchmarks;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

class InfrastructureJvmTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@Test
	void aMongoDbServerAndABrokerInJvmsOfTheirOwnAnswerTheRealClientsCountTheirCpuAndAreStopped() throws Exception {
		try {
			String uri = InfrastructureJvm.startMongo("infrastructure-jvm-test");
			try (MongoClient client = MongoClients.create(uri)) {
				MongoCollection<Document> collection = client.getDatabase("privacy").getCollection("probe");
				Mono.from(collection.insertOne(new Document("_id", "a").append("n", 1))).block(WAIT);
				Document found = Mono.from(collection.find().first()).block(WAIT);
				assertThat(found).containsEntry("_id", "a").containsEntry("n", 1);
			}
			String bootstrap = InfrastructureJvm.startKafka("infrastructure-jvm-test");
			try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
				assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
			}
			assertThat(InfrastructureJvm.any(InfrastructureJvm.Kind.MONGODB)).isTrue();
			assertThat(InfrastructureJvm.any(InfrastructureJvm.Kind.KAFKA)).isTrue();
			assertThat(InfrastructureJvm.cpu(InfrastructureJvm.Kind.MONGODB)).isPositive();
			assertThat(InfrastructureJvm.cpu(InfrastructureJvm.Kind.KAFKA)).isPositive();
		}
		finally {
			InfrastructureJvm.stopAll();
		}
		assertThat(InfrastructureJvm.any()).isFalse();
		assertThat(InfrastructureJvm.cpu(InfrastructureJvm.Kind.MONGODB)).isZero();
	}

}
