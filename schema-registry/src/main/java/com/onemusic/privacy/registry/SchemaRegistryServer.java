package com.onemusic.privacy.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.onemusic.privacy.registry.RegistryState.StoredSchema;
import com.onemusic.privacy.registry.RegistryState.SubjectVersion;

/**
 * The Confluent Schema Registry REST API over a {@link SchemaRegistry}: the same paths,
 * JSON bodies, content type ({@code application/vnd.schemaregistry.v1+json}) and error
 * bodies ({@code {"error_code", "message"}}), so a client written against Confluent's
 * registry works unchanged.
 */
public final class SchemaRegistryServer implements AutoCloseable {

	/** The registry's media type. */
	public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

	private static final Logger logger = LoggerFactory.getLogger(SchemaRegistryServer.class);

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final int MAX_BODY_BYTES = 2 * 1024 * 1024;

	private final SchemaRegistry registry;

	private final HttpServer server;

	private final ExecutorService executor;

	private SchemaRegistryServer(SchemaRegistry registry, HttpServer server, ExecutorService executor) {
		this.registry = registry;
		this.server = server;
		this.executor = executor;
	}

	/**
	 * Serves a registry over HTTP.
	 * @param registry the registry
	 * @param host the address to bind
	 * @param port the port, 0 for any free one
	 * @return the running server
	 * @throws IOException when the port cannot be bound
	 */
	public static SchemaRegistryServer start(SchemaRegistry registry, String host, int port) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
		AtomicInteger threads = new AtomicInteger();
		ExecutorService executor = Executors.newFixedThreadPool(8, (task) -> {
			Thread thread = new Thread(task, "schema-registry-http-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		SchemaRegistryServer registryServer = new SchemaRegistryServer(registry, server, executor);
		server.createContext("/", registryServer::handle);
		server.setExecutor(executor);
		server.start();
		return registryServer;
	}

	/**
	 * The port the server listens on.
	 * @return the bound port
	 */
	public int port() {
		return this.server.getAddress().getPort();
	}

	/**
	 * The base URL of the API.
	 * @return e.g. {@code http://127.0.0.1:8081}
	 */
	public String url() {
		return "http://" + this.server.getAddress().getHostString() + ":" + port();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			int status;
			Object body;
			try {
				Request request = Request.of(exchange);
				body = route(request);
				status = 200;
			}
			catch (RegistryException ex) {
				status = ex.status();
				body = error(ex.errorCode(), ex.getMessage());
				if (status >= 500) {
					logger.warn("Registry store error: {}", ex.getMessage());
				}
			}
			catch (RuntimeException ex) {
				logger.error("Unexpected registry error on {} {}", exchange.getRequestMethod(),
						exchange.getRequestURI(), ex);
				status = 500;
				body = error(50001, "Internal server error");
			}
			byte[] bytes = (body instanceof String text) ? text.getBytes(StandardCharsets.UTF_8)
					: JSON.writeValueAsBytes(body);
			exchange.getResponseHeaders()
				.set("Content-Type", (body instanceof String) ? "text/plain; charset=utf-8" : CONTENT_TYPE);
			exchange.sendResponseHeaders(status, bytes.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(bytes);
			}
		}
	}

	private Object route(Request request) {
		List<String> path = request.path();
		String method = request.method();
		if (path.isEmpty()) {
			return request.expect(method, "GET", () -> JSON.createObjectNode());
		}
		switch (path.get(0)) {
			case "subjects" -> {
				return subjects(request, path, method);
			}
			case "schemas" -> {
				if (path.size() == 2 && "types".equals(path.get(1))) {
					return request.expect(method, "GET", () -> JSON.createArrayNode().add("AVRO"));
				}
				if (path.size() >= 3 && "ids".equals(path.get(1))) {
					int id = schemaId(path.get(2));
					if (path.size() == 3) {
						return request.expect(method, "GET", () -> schemaBody(this.registry.schema(id)));
					}
					if (path.size() == 4 && "schema".equals(path.get(3))) {
						return request.expect(method, "GET", () -> this.registry.schema(id).canonical());
					}
					if (path.size() == 4 && "subjects".equals(path.get(3))) {
						return request.expect(method, "GET",
								() -> this.registry.usages(id)
									.stream()
									.map(SubjectVersion::subject)
									.distinct()
									.toList());
					}
					if (path.size() == 4 && "versions".equals(path.get(3))) {
						return request.expect(method, "GET", () -> this.registry.usages(id).stream().map((version) -> {
							ObjectNode node = JSON.createObjectNode();
							node.put("subject", version.subject());
							node.put("version", version.version());
							return node;
						}).toList());
					}
				}
			}
			case "compatibility" -> {
				if (path.size() >= 4 && "subjects".equals(path.get(1)) && "versions".equals(path.get(3))
						&& path.size() <= 5) {
					String subject = path.get(2);
					String version = (path.size() == 5) ? path.get(4) : null;
					return request.expect(method, "POST", () -> {
						List<String> problems = this.registry.compatibility(subject, version, request.schemaText());
						ObjectNode node = JSON.createObjectNode();
						node.put("is_compatible", problems.isEmpty());
						if (request.flag("verbose")) {
							ArrayNode messages = node.putArray("messages");
							problems.forEach(messages::add);
						}
						return node;
					});
				}
			}
			case "config" -> {
				return config(request, path, method);
			}
			default -> {
			}
		}
		throw new RegistryException(404, 404, "HTTP 404 Not Found");
	}

	private Object subjects(Request request, List<String> path, String method) {
		if (path.size() == 1) {
			return request.expect(method, "GET", () -> this.registry.subjects(request.flag("deleted")));
		}
		String subject = path.get(1);
		if (path.size() == 2) {
			return switch (method) {
				case "POST" ->
					versionBody(this.registry.lookup(subject, request.schemaText(), request.flag("deleted")));
				case "DELETE" -> this.registry.deleteSubject(subject, request.flag("permanent"));
				default -> throw methodNotAllowed();
			};
		}
		if (!"versions".equals(path.get(2))) {
			throw new RegistryException(404, 404, "HTTP 404 Not Found");
		}
		if (path.size() == 3) {
			return switch (method) {
				case "GET" -> this.registry.versions(subject, request.flag("deleted"));
				case "POST" -> {
					ObjectNode node = JSON.createObjectNode();
					node.put("id", this.registry.register(subject, request.schemaText()));
					yield node;
				}
				default -> throw methodNotAllowed();
			};
		}
		String version = path.get(3);
		if (path.size() == 4) {
			return switch (method) {
				case "GET" -> versionBody(this.registry.version(subject, version, request.flag("deleted")));
				case "DELETE" -> this.registry.deleteVersion(subject, version, request.flag("permanent"));
				default -> throw methodNotAllowed();
			};
		}
		if (path.size() == 5 && "schema".equals(path.get(4))) {
			return request.expect(method, "GET",
					() -> this.registry.schema(this.registry.version(subject, version, request.flag("deleted")).id())
						.canonical());
		}
		throw new RegistryException(404, 404, "HTTP 404 Not Found");
	}

	private Object config(Request request, List<String> path, String method) {
		if (path.size() > 2) {
			throw new RegistryException(404, 404, "HTTP 404 Not Found");
		}
		String subject = (path.size() == 2) ? path.get(1) : null;
		switch (method) {
			case "GET" -> {
				CompatibilityLevel level = (subject == null) ? this.registry.globalLevel()
						: this.registry.subjectLevel(subject, request.flag("defaultToGlobal"));
				return levelBody("compatibilityLevel", level);
			}
			case "PUT" -> {
				JsonNode body = request.json();
				CompatibilityLevel level = CompatibilityLevel.parse(body.path("compatibility").asText(null));
				this.registry.setLevel(subject, level);
				return levelBody("compatibility", level);
			}
			case "DELETE" -> {
				if (subject == null) {
					throw methodNotAllowed();
				}
				return levelBody("compatibilityLevel", this.registry.deleteLevel(subject));
			}
			default -> throw methodNotAllowed();
		}
	}

	private static ObjectNode levelBody(String field, CompatibilityLevel level) {
		ObjectNode node = JSON.createObjectNode();
		node.put(field, level.name());
		return node;
	}

	private ObjectNode versionBody(SubjectVersion version) {
		ObjectNode node = JSON.createObjectNode();
		node.put("subject", version.subject());
		node.put("version", version.version());
		node.put("id", version.id());
		node.put("schema", this.registry.schema(version.id()).canonical());
		return node;
	}

	private static ObjectNode schemaBody(StoredSchema schema) {
		ObjectNode node = JSON.createObjectNode();
		node.put("schema", schema.canonical());
		return node;
	}

	private static int schemaId(String text) {
		try {
			return Integer.parseInt(text);
		}
		catch (NumberFormatException ex) {
			throw RegistryException.schemaNotFound("Schema " + text);
		}
	}

	private static ObjectNode error(int code, String message) {
		ObjectNode node = JSON.createObjectNode();
		node.put("error_code", code);
		node.put("message", message);
		return node;
	}

	private static RegistryException methodNotAllowed() {
		return new RegistryException(405, 405, "HTTP 405 Method Not Allowed");
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdown();
		try {
			this.executor.awaitTermination(2, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private record Request(String method, List<String> path, Map<String, String> query, byte[] body) {

		static Request of(HttpExchange exchange) throws IOException {
			URI uri = exchange.getRequestURI();
			List<String> segments = new ArrayList<>();
			for (String segment : uri.getRawPath().split("/")) {
				if (!segment.isEmpty()) {
					segments.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
				}
			}
			Map<String, String> query = new HashMap<>();
			if (uri.getRawQuery() != null) {
				for (String pair : uri.getRawQuery().split("&")) {
					int equals = pair.indexOf('=');
					String name = URLDecoder.decode((equals < 0) ? pair : pair.substring(0, equals),
							StandardCharsets.UTF_8);
					String value = (equals < 0) ? ""
							: URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
					query.put(name, value);
				}
			}
			byte[] body;
			try (InputStream in = exchange.getRequestBody()) {
				body = in.readNBytes(MAX_BODY_BYTES + 1);
			}
			if (body.length > MAX_BODY_BYTES) {
				throw new RegistryException(413, 413, "Request body larger than " + MAX_BODY_BYTES + " bytes");
			}
			return new Request(exchange.getRequestMethod(), segments, query, body);
		}

		boolean flag(String name) {
			return "true".equalsIgnoreCase(this.query.get(name));
		}

		JsonNode json() {
			if (this.body.length == 0) {
				throw new RegistryException(400, 400, "A JSON request body is required");
			}
			try {
				JsonNode node = JSON.readTree(this.body);
				if (node == null || !node.isObject()) {
					throw new RegistryException(400, 400, "The request body must be a JSON object");
				}
				return node;
			}
			catch (JsonProcessingException ex) {
				throw new RegistryException(400, 400, "Malformed JSON: " + ex.getOriginalMessage());
			}
			catch (IOException ex) {
				throw new RegistryException(400, 400, "Unreadable request body: " + ex.getMessage());
			}
		}

		String schemaText() {
			JsonNode body = json();
			String type = body.path("schemaType").asText("AVRO");
			if (!"AVRO".equals(type)) {
				throw RegistryException.invalidSchema("schema type " + type + " is not supported; only AVRO is");
			}
			if (body.path("references").size() > 0) {
				throw RegistryException.invalidSchema("schema references are not supported");
			}
			JsonNode schema = body.get("schema");
			if (schema == null || !schema.isTextual()) {
				throw RegistryException.invalidSchema("the request has no \"schema\" string");
			}
			return schema.asText();
		}

		<T> T expect(String actual, String expected, java.util.function.Supplier<T> answer) {
			if (!expected.equals(actual)) {
				throw methodNotAllowed();
			}
			return answer.get();
		}

	}

}
