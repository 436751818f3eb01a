package com.onemusic.privacy.events;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every released schema version is kept in {@code history/<Name>/v<N>.avsc}. The current
 * schema must read data written with every one of them (BACKWARD_TRANSITIVE); a breaking
 * change needs a new topic version instead.
 */
class SchemaHistoryTests {

	private static final Path CURRENT = Path.of("src/main/avro");

	private static final Path HISTORY = Path.of("history");

	@Test
	void everyCurrentSchemaHasAReleasedHistory() throws IOException {
		for (Path current : currentSchemas()) {
			assertThat(history(name(current))).as("released versions of %s", name(current)).isNotEmpty();
		}
	}

	@Test
	void everyTopicOfTheCatalogCarriesACurrentSchema() throws IOException {
		List<String> names = currentSchemas().stream().map(SchemaHistoryTests::name).toList();
		for (Topic<String, ?> topic : Topics.all()) {
			assertThat(names).contains(topic.valueType().getSimpleName());
			assertThat(topic.valueSchema().getFullName()).isEqualTo(topic.valueType().getName());
		}
	}

	@Test
	void currentSchemasAreBackwardTransitiveCompatibleWithEveryReleasedVersion() throws IOException {
		List<String> problems = new ArrayList<>();
		for (Path current : currentSchemas()) {
			Schema reader = parse(current);
			for (Path released : history(name(current))) {
				problems.addAll(incompatibilities(reader, parse(released), released.toString()));
			}
		}
		assertThat(problems).isEmpty();
	}

	@Test
	void theCheckRejectsAFieldAddedWithoutDefault() throws IOException {
		Schema released = parse(HISTORY.resolve("ConsentChanged/v1.avsc"));
		String json = Files.readString(CURRENT.resolve("ConsentChanged.avsc"))
			.replace("{\"name\": \"userId\", \"type\": \"string\"},",
					"{\"name\": \"userId\", \"type\": \"string\"}, {\"name\": \"tenant\", \"type\": \"string\"},");
		Schema changed = new Schema.Parser().parse(json);
		assertThat(incompatibilities(changed, released, "v1")).singleElement()
			.asString()
			.contains("tenant")
			.contains("READER_FIELD_MISSING_DEFAULT");
	}

	@Test
	void theCheckRejectsARemovedEnumSymbolWithoutDefault() throws IOException {
		Schema released = parse(HISTORY.resolve("ConsentChanged/v1.avsc"));
		String json = Files.readString(CURRENT.resolve("ConsentChanged.avsc"))
			.replace("\"symbols\": [\"GRANTED\", \"WITHDRAWN\"]", "\"symbols\": [\"GRANTED\"]");
		assertThat(incompatibilities(new Schema.Parser().parse(json), released, "v1")).isNotEmpty();
	}

	static List<String> incompatibilities(Schema reader, Schema writer, String writerName) {
		SchemaCompatibility.SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader,
				writer);
		if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
			return List.of();
		}
		return result.getResult()
			.getIncompatibilities()
			.stream()
			.map((incompatibility) -> reader.getName() + " cannot read " + writerName + ": " + incompatibility.getType()
					+ " at " + incompatibility.getLocation() + " (" + incompatibility.getMessage() + ")")
			.toList();
	}

	private static List<Path> currentSchemas() throws IOException {
		try (Stream<Path> files = Files.list(CURRENT)) {
			List<Path> schemas = files.filter((file) -> file.toString().endsWith(".avsc")).sorted().toList();
			assertThat(schemas).isNotEmpty();
			return schemas;
		}
	}

	private static List<Path> history(String name) throws IOException {
		Path folder = HISTORY.resolve(name);
		if (!Files.isDirectory(folder)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(folder)) {
			return files.filter((file) -> file.getFileName().toString().matches("v\\d+\\.avsc"))
				.sorted(Comparator.comparingInt(SchemaHistoryTests::version))
				.toList();
		}
	}

	private static int version(Path file) {
		String fileName = file.getFileName().toString();
		return Integer.parseInt(fileName.substring(1, fileName.length() - ".avsc".length()));
	}

	private static String name(Path file) {
		String fileName = file.getFileName().toString();
		return fileName.substring(0, fileName.length() - ".avsc".length());
	}

	private static Schema parse(Path file) throws IOException {
		return new Schema.Parser().parse(file.toFile());
	}

}
