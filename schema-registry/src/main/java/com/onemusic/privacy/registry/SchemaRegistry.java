package com.onemusic.privacy.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

import com.onemusic.privacy.registry.RegistryState.StoredSchema;
import com.onemusic.privacy.registry.RegistryState.SubjectVersion;

/**
 * The operations of the Confluent Schema Registry API over the {@code _schemas} log.
 * Writes of one instance are serialized; writes of several instances on one topic are
 * ordered by the log (see {@link RegistryState}).
 */
public final class SchemaRegistry implements AutoCloseable {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final int WRITE_ATTEMPTS = 10;

	private final RegistryState state;

	private final KafkaSchemaLog log;

	private final ReentrantLock writes = new ReentrantLock();

	/**
	 * Creates a registry and loads its store.
	 * @param bootstrapServers the Kafka bootstrap servers
	 * @param topic the store topic, {@code _schemas} by default
	 * @param defaultLevel the compatibility level until one is configured
	 * @param timeout how long a store operation may take
	 * @param clientProperties further Kafka client properties (security, for instance)
	 * @return the started registry
	 */
	public static SchemaRegistry start(String bootstrapServers, String topic, CompatibilityLevel defaultLevel,
			Duration timeout, Map<String, Object> clientProperties) {
		RegistryState state = new RegistryState(defaultLevel);
		KafkaSchemaLog log = new KafkaSchemaLog(bootstrapServers, topic, state, timeout, clientProperties);
		try {
			log.start();
		}
		catch (RuntimeException ex) {
			log.close();
			throw ex;
		}
		return new SchemaRegistry(state, log);
	}

	private SchemaRegistry(RegistryState state, KafkaSchemaLog log) {
		this.state = state;
		this.log = log;
	}

	/**
	 * Registers a schema under a subject, or finds it there.
	 * @param subject the subject
	 * @param schemaText the schema's JSON
	 * @return the schema id
	 */
	public int register(String subject, String schemaText) {
		Schema schema = parse(schemaText);
		String canonical = schema.toString();
		this.writes.lock();
		try {
			this.log.catchUp();
			for (int attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
				Optional<SubjectVersion> existing = live(subject).stream()
					.filter((version) -> canonical(version.id()).equals(canonical))
					.findFirst();
				if (existing.isPresent()) {
					return existing.get().id();
				}
				List<Schema> earlier = live(subject).stream().map((version) -> schema(version.id()).schema()).toList();
				List<String> problems = this.state.effectiveLevel(subject).check(schema, earlier);
				if (!problems.isEmpty()) {
					throw RegistryException.incompatible(String.join(", ", problems));
				}
				int id = this.state.idOf(canonical).orElseGet(() -> this.state.maxId() + 1);
				int version = this.state.versions(subject).stream().mapToInt(SubjectVersion::version).max().orElse(0)
						+ 1;
				String key = schemaKey(subject, version, id, canonical);
				ObjectNode value = JSON.createObjectNode();
				value.put("subject", subject);
				value.put("version", version);
				value.put("id", id);
				value.put("schema", canonical);
				value.put("deleted", false);
				this.log.append(key, value.toString());
				boolean won = this.state.versions(subject)
					.stream()
					.anyMatch((entry) -> entry.version() == version && entry.recordKey().equals(key));
				if (won) {
					return id;
				}
				// Another instance wrote first: remove the losing record and try again.
				this.log.append(key, null);
			}
			throw RegistryException.storeError("too many concurrent writers on subject " + subject, null);
		}
		finally {
			this.writes.unlock();
		}
	}

	/**
	 * Finds a schema under a subject.
	 * @param subject the subject
	 * @param schemaText the schema's JSON
	 * @param includeDeleted whether soft-deleted versions count
	 * @return the version that holds it
	 */
	public SubjectVersion lookup(String subject, String schemaText, boolean includeDeleted) {
		String canonical = parse(schemaText).toString();
		List<SubjectVersion> versions = includeDeleted ? this.state.versions(subject) : live(subject);
		if (versions.isEmpty()) {
			throw RegistryException.subjectNotFound(subject);
		}
		return versions.stream()
			.filter((version) -> canonical(version.id()).equals(canonical))
			.reduce((first, second) -> second)
			.orElseThrow(() -> RegistryException.schemaNotFound("Schema"));
	}

	/**
	 * The schema with an id.
	 * @param id the id
	 * @return the schema
	 */
	public StoredSchema schema(int id) {
		return this.state.schema(id).orElseThrow(() -> RegistryException.schemaNotFound("Schema " + id));
	}

	/**
	 * Subject versions that use a schema id.
	 * @param id the id
	 * @return the live versions with that id
	 */
	public List<SubjectVersion> usages(int id) {
		schema(id);
		return this.state.versionsWithId(id).stream().filter((version) -> !version.deleted()).toList();
	}

	public List<String> subjects(boolean includeDeleted) {
		return this.state.subjects(includeDeleted);
	}

	/**
	 * The version numbers of a subject.
	 * @param subject the subject
	 * @param includeDeleted whether to list soft-deleted versions
	 * @return the versions, ascending
	 */
	public List<Integer> versions(String subject, boolean includeDeleted) {
		List<SubjectVersion> versions = includeDeleted ? this.state.versions(subject) : live(subject);
		if (versions.isEmpty()) {
			throw RegistryException.subjectNotFound(subject);
		}
		return versions.stream().map(SubjectVersion::version).toList();
	}

	/**
	 * One version of a subject.
	 * @param subject the subject
	 * @param version a version number, {@code latest} or {@code -1}
	 * @param includeDeleted whether a soft-deleted version may be returned
	 * @return the version
	 */
	public SubjectVersion version(String subject, String version, boolean includeDeleted) {
		Integer number = parseVersion(version);
		List<SubjectVersion> versions = includeDeleted ? this.state.versions(subject) : live(subject);
		if (versions.isEmpty()) {
			throw RegistryException.subjectNotFound(subject);
		}
		if (number == null) {
			return versions.get(versions.size() - 1);
		}
		return versions.stream()
			.filter((entry) -> entry.version() == number)
			.findFirst()
			.orElseThrow(() -> RegistryException.versionNotFound(subject, number));
	}

	/**
	 * Whether a schema could be registered with respect to one version of a subject, or
	 * to all that the compatibility level asks for.
	 * @param subject the subject
	 * @param version a version, {@code latest}, or {@code null} for what the level asks
	 * for
	 * @param schemaText the candidate schema
	 * @return the incompatibilities; empty when compatible
	 */
	public List<String> compatibility(String subject, String version, String schemaText) {
		Schema candidate = parse(schemaText);
		CompatibilityLevel level = this.state.effectiveLevel(subject);
		if (version == null) {
			List<Schema> earlier = live(subject).stream().map((entry) -> schema(entry.id()).schema()).toList();
			return level.check(candidate, earlier);
		}
		SubjectVersion against = version(subject, version, false);
		return level.check(candidate, List.of(schema(against.id()).schema()));
	}

	public CompatibilityLevel globalLevel() {
		return this.state.globalLevel();
	}

	/**
	 * The compatibility level of a subject.
	 * @param subject the subject
	 * @param defaultToGlobal whether to answer the global level when the subject has none
	 * @return the level
	 */
	public CompatibilityLevel subjectLevel(String subject, boolean defaultToGlobal) {
		Optional<CompatibilityLevel> level = this.state.subjectLevel(subject);
		if (level.isPresent()) {
			return level.get();
		}
		if (defaultToGlobal) {
			return this.state.globalLevel();
		}
		throw RegistryException.subjectLevelCompatibilityNotConfigured(subject);
	}

	/**
	 * Sets the global level ({@code subject == null}) or a subject's level.
	 * @param subject the subject, or {@code null}
	 * @param level the level
	 */
	public void setLevel(String subject, CompatibilityLevel level) {
		ObjectNode value = JSON.createObjectNode();
		value.put("compatibilityLevel", level.name());
		write(configKey(subject), value.toString());
	}

	/**
	 * Removes a subject's level, so the global one applies again.
	 * @param subject the subject
	 * @return the level it had
	 */
	public CompatibilityLevel deleteLevel(String subject) {
		CompatibilityLevel previous = subjectLevel(subject, false);
		write(configKey(subject), null);
		return previous;
	}

	/**
	 * Deletes a subject: softly (its versions are hidden but kept), or permanently after
	 * a soft delete.
	 * @param subject the subject
	 * @param permanent whether to delete permanently
	 * @return the versions deleted
	 */
	public List<Integer> deleteSubject(String subject, boolean permanent) {
		this.writes.lock();
		try {
			this.log.catchUp();
			List<SubjectVersion> all = this.state.versions(subject);
			if (all.isEmpty()) {
				throw RegistryException.subjectNotFound(subject);
			}
			List<SubjectVersion> live = all.stream().filter((version) -> !version.deleted()).toList();
			if (permanent) {
				if (!live.isEmpty()) {
					throw RegistryException.subjectNotSoftDeleted(subject);
				}
				for (String key : this.state.keys(subject, null)) {
					this.log.append(key, null);
				}
				return all.stream().map(SubjectVersion::version).toList();
			}
			if (live.isEmpty()) {
				throw RegistryException.subjectSoftDeleted(subject);
			}
			for (SubjectVersion version : live) {
				softDelete(version);
			}
			return live.stream().map(SubjectVersion::version).toList();
		}
		finally {
			this.writes.unlock();
		}
	}

	/**
	 * Deletes one version of a subject, softly or (after a soft delete) permanently.
	 * @param subject the subject
	 * @param version a version number or {@code latest}
	 * @param permanent whether to delete permanently
	 * @return the version number deleted
	 */
	public int deleteVersion(String subject, String version, boolean permanent) {
		this.writes.lock();
		try {
			this.log.catchUp();
			boolean latest = "latest".equals(version) || "-1".equals(version);
			SubjectVersion target = version(subject, version, permanent || !latest);
			if (permanent) {
				if (!target.deleted()) {
					throw RegistryException.versionNotSoftDeleted(subject, target.version());
				}
				for (String key : this.state.keys(subject, target.version())) {
					this.log.append(key, null);
				}
				return target.version();
			}
			if (target.deleted()) {
				throw RegistryException.versionSoftDeleted(subject, target.version());
			}
			softDelete(target);
			return target.version();
		}
		finally {
			this.writes.unlock();
		}
	}

	/**
	 * Whether the store reader runs.
	 * @return true when the registry can answer
	 */
	public boolean healthy() {
		return this.log.failure().isEmpty();
	}

	private void softDelete(SubjectVersion version) {
		ObjectNode value = JSON.createObjectNode();
		value.put("subject", version.subject());
		value.put("version", version.version());
		this.log.append(deleteKey(version.subject(), version.version()), value.toString());
	}

	private void write(String key, String value) {
		this.writes.lock();
		try {
			this.log.append(key, value);
		}
		finally {
			this.writes.unlock();
		}
	}

	private List<SubjectVersion> live(String subject) {
		return this.state.versions(subject).stream().filter((version) -> !version.deleted()).toList();
	}

	private String canonical(int id) {
		return this.state.schema(id).map(StoredSchema::canonical).orElse("");
	}

	static Schema parse(String schemaText) {
		if (schemaText == null || schemaText.isBlank()) {
			throw RegistryException.invalidSchema("the schema is empty");
		}
		try {
			return new Schema.Parser().parse(schemaText);
		}
		catch (SchemaParseException | IllegalArgumentException ex) {
			throw RegistryException.invalidSchema(ex.getMessage());
		}
	}

	private static Integer parseVersion(String version) {
		if ("latest".equals(version)) {
			return null;
		}
		try {
			int number = Integer.parseInt(version);
			if (number == -1) {
				return null;
			}
			if (number < 1) {
				throw RegistryException.invalidVersion(version);
			}
			return number;
		}
		catch (NumberFormatException ex) {
			throw RegistryException.invalidVersion(version);
		}
	}

	private static String schemaKey(String subject, int version, int id, String canonical) {
		ObjectNode key = JSON.createObjectNode();
		key.put("keytype", RegistryState.SCHEMA);
		key.put("subject", subject);
		key.put("version", version);
		key.put("id", id);
		key.put("fingerprint", fingerprint(canonical));
		key.put("magic", 1);
		return key.toString();
	}

	private static String deleteKey(String subject, int version) {
		ObjectNode key = JSON.createObjectNode();
		key.put("keytype", RegistryState.DELETE_VERSION);
		key.put("subject", subject);
		key.put("version", version);
		key.put("magic", 1);
		return key.toString();
	}

	private static String configKey(String subject) {
		ObjectNode key = JSON.createObjectNode();
		key.put("keytype", RegistryState.CONFIG);
		if (subject == null) {
			key.putNull("subject");
		}
		else {
			key.put("subject", subject);
		}
		key.put("magic", 0);
		return key.toString();
	}

	private static String fingerprint(String canonical) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, 16);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.log.close();
	}

}
