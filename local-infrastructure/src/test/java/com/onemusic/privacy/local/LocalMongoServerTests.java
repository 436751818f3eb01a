package com.onemusic.privacy.local;

import java.util.ArrayList;
import java.util.List;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LocalMongoServerTests {

	@Test
	void theRealDriverWritesAndReadsBackAndNoCopyOfTheWritesIsKeptInAnOplog() {
		try (LocalMongoServer server = LocalMongoServer.start(0);
				MongoClient client = MongoClients.create(server.uri("local-test"))) {
			MongoCollection<Document> ledger = client.getDatabase("local-test").getCollection("ledger");
			ledger.insertOne(new Document("_id", "u-1:1").append("published", false));
			ledger.updateOne(Filters.eq("_id", "u-1:1"), Updates.set("published", true));
			ledger.deleteOne(Filters.eq("_id", "u-1:1"));
			ledger.insertOne(new Document("_id", "u-1:2").append("published", false));

			assertThat(ledger.find().into(new ArrayList<>())).extracting((document) -> document.get("_id"))
				.containsExactly("u-1:2");
			List<String> local = client.getDatabase("local").listCollectionNames().into(new ArrayList<>());
			assertThat(local).doesNotContain("oplog.rs");
		}
	}

}
