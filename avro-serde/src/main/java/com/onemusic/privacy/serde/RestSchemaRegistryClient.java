package com.onemusic.privacy.serde;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A {@link SchemaRegistryClient} over the Confluent Schema Registry REST API. Several
 * base URLs may be given; a call goes to the next one when a registry cannot be reached.
 * Immutable answers are cached for the life of the client.
 */
public class RestSchemaRegistryClient implements SchemaRegistryClient {

	/** The registry's media type. */
	public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

	private static final ObjectMapper JSON = new ObjectMapper();

	private final List<URI> baseUrls;

	private final String authorization;

	private final Duration timeout;

	private final HttpClient http;

	private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

	private final Map<SubjectSchema, Integer> registeredIds = new ConcurrentHashMap<>();

	/**
	 * Creates a client.
	 * @param baseUrls comma-separated registry URLs, as in {@code schema.registry.url}
	 * @param userInfo {@code user:password} for HTTP basic authentication, or
	 * {@code null}
	 * @param timeout connect and request timeout
	 */
	public RestSchemaRegistryClient(String baseUrls, String userInfo, Duration timeout) {
		this.baseUrls = parseUrls(baseUrls);
		this.authorization = (userInfo != null && !userInfo.isBlank())
				? "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)) : null;
		this.timeout = Objects.requireNonNull(timeout, "timeout");
		this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
	}

	static List<URI> parseUrls(String baseUrls) {
		if (baseUrls == null || baseUrls.isBlank()) {
			throw new IllegalArgumentException("schema.registry.url is required");
		}
		List<URI> urls = new ArrayList<>();
		for (String url : baseUrls.split(",")) {
			String trimmed = url.trim();
			if (trimmed.isEmpty()) {
				continue;
			}
			URI uri = URI.create(trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
			if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
				throw new IllegalArgumentException("schema.registry.url must be http(s) URLs, got '" + trimmed + "'");
			}
			urls.add(uri);
		}
		if (urls.isEmpty()) {
			throw new IllegalArgumentException("schema.registry.url is required");
		}
		return List.copyOf(urls);
	}

	@Override
	public int register(String subject, Schema schema) {
		return cachedId(subject, schema, "/subjects/" + encode(subject) + "/versions");
	}

	@Override
	public int lookup(String subject, Schema schema) {
		return cachedId(subject, schema, "/subjects/" + encode(subject));
	}

	/** Registers or looks up (by path) a schema's id, once per subject and schema. */
	private int cachedId(String subject, Schema schema, String path) {
		SubjectSchema key = new SubjectSchema(subject, schema);
		Integer cached = this.registeredIds.get(key);
		if (cached != null) {
			return cached;
		}
		int id = call("POST", path, schemaBody(schema)).path("id").asInt();
		this.registeredIds.put(key, id);
		this.schemasById.putIfAbsent(id, schema);
		return id;
	}

	@Override
	public Schema schemaById(int id) {
		Schema cached = this.schemasById.get(id);
		if (cached != null) {
			return cached;
		}
		JsonNode answer = call("GET", "/schemas/ids/" + id, null);
		Schema schema = parse(answer.path("schema").asText(), "schema id " + id);
		Schema previous = this.schemasById.putIfAbsent(id, schema);
		return (previous != null) ? previous : schema;
	}

	@Override
	public RegisteredSchema latest(String subject) {
		JsonNode answer = call("GET", "/subjects/" + encode(subject) + "/versions/latest", null);
		int id = answer.path("id").asInt();
		Schema schema = parse(answer.path("schema").asText(), "subject " + subject);
		this.schemasById.putIfAbsent(id, schema);
		return new RegisteredSchema(subject, answer.path("version").asInt(), id, schema);
	}

	private static Schema parse(String text, String what) {
		try {
			return new Schema.Parser().parse(text);
		}
		catch (SchemaParseException ex) {
			throw new SchemaRegistryException("The registry returned an unparseable schema for " + what, 200, 0, ex);
		}
	}

	private static String schemaBody(Schema schema) {
		ObjectNode body = JSON.createObjectNode();
		body.put("schema", schema.toString());
		return body.toString();
	}

	private static String encode(String subject) {
		return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
	}

	private JsonNode call(String method, String path, String body) {
		IOException lastFailure = null;
		for (URI baseUrl : this.baseUrls) {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
				.timeout(this.timeout)
				.header("Accept", CONTENT_TYPE + ", application/json");
			if (this.authorization != null) {
				request.header("Authorization", this.authorization);
			}
			if (body != null) {
				request.header("Content-Type", CONTENT_TYPE)
					.method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
			}
			else {
				request.method(method, HttpRequest.BodyPublishers.noBody());
			}
			HttpResponse<String> response;
			try {
				response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
			}
			catch (IOException ex) {
				lastFailure = ex;
				continue;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new SchemaRegistryException("Interrupted while calling the schema registry at " + baseUrl,
						SchemaRegistryException.UNREACHABLE, SchemaRegistryException.UNREACHABLE, ex);
			}
			return answer(method, baseUrl + path, response);
		}
		throw new SchemaRegistryException("Schema registry unreachable at " + this.baseUrls + ": " + lastFailure,
				SchemaRegistryException.UNREACHABLE, SchemaRegistryException.UNREACHABLE, lastFailure);
	}

	private static JsonNode answer(String method, String url, HttpResponse<String> response) {
		JsonNode json;
		try {
			json = JSON.readTree(response.body());
		}
		catch (IOException ex) {
			json = null;
		}
		if (response.statusCode() / 100 == 2 && json != null) {
			return json;
		}
		int errorCode = (json != null) ? json.path("error_code").asInt(response.statusCode()) : response.statusCode();
		String message = (json != null && json.hasNonNull("message")) ? json.get("message").asText()
				: abbreviate(response.body());
		throw new SchemaRegistryException("Schema registry answered " + response.statusCode() + " (error code "
				+ errorCode + ") to " + method + " " + url + ": " + message, response.statusCode(), errorCode, null);
	}

	private static String abbreviate(String text) {
		return (text == null || text.length() <= 200) ? text : text.substring(0, 200) + "…";
	}

	private record SubjectSchema(String subject, Schema schema) {

	}

}
