package com.onemusic.privacy.benchmarks;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A minimal HTTP/1.1 client for the load drivers: blocking, one request at a time on each
 * keep-alive connection, connections kept in a pool for whichever thread sends next.
 *
 * <p>
 * The load drivers share the two cores with what they measure, so what they cost counts
 * against it: the JDK's {@code HttpClient} (its selector thread, executors and
 * asynchronous machinery) spent nearly as much CPU per request (0.24 ms) as the service
 * spends answering a trivial one (0.29 ms); this spends 0.05-0.08 ms. This writes the
 * request's bytes, reads the status line, the headers and a body of
 * {@code Content-Length} or chunked, and nothing else (no redirects, no TLS, no
 * compression).
 */
final class PlainHttp implements DriverHttp {

	private final String host;

	private final int port;

	private final String hostHeader;

	private final String authorization;

	private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();

	private volatile boolean closed;

	/**
	 * A client of one server.
	 * @param baseUrl {@code http://host:port}
	 * @param authorization the Authorization header's value, empty for none
	 */
	PlainHttp(String baseUrl, String authorization) {
		URI uri = URI.create(baseUrl);
		if (!"http".equals(uri.getScheme()) || uri.getPort() < 0) {
			throw new IllegalArgumentException(
					"Expected http://host:port, got " + baseUrl + " (-Dclient=jdk for anything else)");
		}
		this.host = uri.getHost();
		this.port = uri.getPort();
		this.hostHeader = this.host + ":" + this.port;
		this.authorization = authorization;
	}

	@Override
	public Response send(String method, String path, String json) throws IOException {
		byte[] body = json.getBytes(StandardCharsets.UTF_8);
		StringBuilder head = new StringBuilder(256).append(method)
			.append(' ')
			.append(path)
			.append(" HTTP/1.1\r\nHost: ")
			.append(this.hostHeader)
			.append("\r\nContent-Type: application/json\r\nAccept: application/json\r\n");
		if (!this.authorization.isEmpty()) {
			head.append("Authorization: ").append(this.authorization).append("\r\n");
		}
		head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
		byte[] request = head.toString().getBytes(StandardCharsets.ISO_8859_1);
		Connection reused = this.idle.poll();
		if (reused != null) {
			try {
				return exchange(reused, request, body);
			}
			catch (IOException ex) {
				if (reused.answering) {
					throw ex;
				}
				// No byte of an answer came: the server had closed the idle connection
				// before this request reached it, so a fresh connection may send it.
			}
		}
		return exchange(open(), request, body);
	}

	private Response exchange(Connection connection, byte[] request, byte[] body) throws IOException {
		try {
			connection.answering = false;
			connection.out.write(request);
			connection.out.write(body);
			connection.out.flush();
			boolean[] keepAlive = new boolean[1];
			Response response = connection.read(keepAlive);
			if (keepAlive[0] && !this.closed) {
				this.idle.add(connection);
			}
			else {
				connection.close();
			}
			return response;
		}
		catch (IOException | RuntimeException ex) {
			connection.close();
			throw ex;
		}
	}

	private Connection open() throws IOException {
		Socket socket = new Socket();
		try {
			socket.setTcpNoDelay(true);
			socket.connect(new InetSocketAddress(this.host, this.port), 5_000);
			socket.setSoTimeout(60_000);
			return new Connection(socket);
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
	}

	@Override
	public void close() {
		this.closed = true;
		Connection connection;
		while ((connection = this.idle.poll()) != null) {
			connection.close();
		}
	}

	private static final class Connection {

		private final Socket socket;

		private final OutputStream out;

		private final InputStream in;

		/** Whether a byte of the answer to the request being sent has come. */
		boolean answering;

		Connection(Socket socket) throws IOException {
			this.socket = socket;
			this.out = new BufferedOutputStream(socket.getOutputStream(), 8192);
			this.in = new BufferedInputStream(socket.getInputStream(), 16384);
		}

		/**
		 * Reads an answer; says in {@code keepAlive[0]} whether the connection may be
		 * reused.
		 */
		Response read(boolean[] keepAlive) throws IOException {
			String statusLine = line();
			if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
				throw new IOException("Not an HTTP/1.x status line: " + statusLine);
			}
			int status = Integer.parseInt(statusLine.substring(9, 12));
			keepAlive[0] = statusLine.startsWith("HTTP/1.1");
			long length = -1;
			boolean chunked = false;
			for (String header = line(); !header.isEmpty(); header = line()) {
				int colon = header.indexOf(':');
				if (colon < 0) {
					throw new IOException("Malformed header: " + header);
				}
				String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
				String value = header.substring(colon + 1).trim();
				switch (name) {
					case "content-length" -> length = Long.parseLong(value);
					case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
					case "connection" -> keepAlive[0] = !value.equalsIgnoreCase("close");
					default -> {
					}
				}
			}
			byte[] body;
			if (chunked) {
				body = chunks();
			}
			else if (length >= 0) {
				body = this.in.readNBytes((int) length);
				if (body.length < length) {
					throw new EOFException("The body ended after " + body.length + " of " + length + " bytes");
				}
			}
			else if (status == 204 || status == 304 || status / 100 == 1) {
				body = new byte[0];
			}
			else {
				// Delimited by the end of the connection.
				body = this.in.readAllBytes();
				keepAlive[0] = false;
			}
			return new Response(status, new String(body, StandardCharsets.UTF_8));
		}

		private byte[] chunks() throws IOException {
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			while (true) {
				String size = line();
				int extension = size.indexOf(';');
				int length = Integer.parseInt((extension >= 0) ? size.substring(0, extension).trim() : size.trim(), 16);
				if (length == 0) {
					// Trailers, up to the empty line.
					while (!line().isEmpty()) {
						// ignored
					}
					return body.toByteArray();
				}
				byte[] chunk = this.in.readNBytes(length);
				if (chunk.length < length) {
					throw new EOFException("A chunk ended after " + chunk.length + " of " + length + " bytes");
				}
				body.write(chunk);
				line();
			}
		}

		/** A line without its CRLF. */
		private String line() throws IOException {
			StringBuilder line = new StringBuilder(64);
			int b;
			while ((b = this.in.read()) != '\n') {
				if (b < 0) {
					throw new EOFException(this.answering ? "The answer ended in the middle of a line"
							: "The server closed the connection without answering");
				}
				this.answering = true;
				if (b != '\r') {
					line.append((char) b);
				}
			}
			return line.toString();
		}

		void close() {
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}

	}

}
