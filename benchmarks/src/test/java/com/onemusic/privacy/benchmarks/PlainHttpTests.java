package com.onemusic.privacy.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The load drivers' HTTP client against a server on a socket whose every byte the test
 * writes.
 */
class PlainHttpTests {

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private final AtomicInteger connections = new AtomicInteger();

	/** Released each time the server closes a connection after answering. */
	private final Semaphore closedByServer = new Semaphore(0);

	/** Each request the server read: its request line, headers and body. */
	private final List<String> requests = new CopyOnWriteArrayList<>();

	private ServerSocket server;

	@AfterEach
	void stop() throws IOException {
		if (this.server != null) {
			this.server.close();
		}
		for (Socket socket : this.sockets) {
			socket.close();
		}
	}

	@Test
	void sendsTheRequestAndKeepsOneConnectionForRequestsInTurn() throws Exception {
		String url = serve((n) -> "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 14\r\n\r\n"
				+ "{\"answer\":" + (100 + n) + "}", false);
		try (PlainHttp http = new PlainHttp(url, "")) {
			for (int i = 0; i < 3; i++) {
				DriverHttp.Response response = http.send("PUT", "/users/u-1/consents", "{\"a\":\"北京\"}");
				assertThat(response.status()).isEqualTo(200);
				assertThat(response.body()).isEqualTo("{\"answer\":" + (100 + i) + "}");
			}
		}
		assertThat(this.connections).hasValue(1);
		assertThat(this.requests).hasSize(3);
		// The body is UTF-8 and its length counted in bytes.
		assertThat(this.requests.get(0)).startsWith("PUT /users/u-1/consents HTTP/1.1\n")
			.contains("content-type: application/json\n", "content-length: 14\n")
			.endsWith("\n{\"a\":\"北京\"}");
	}

	@Test
	void readsChunkedBodies() throws Exception {
		String url = serve((n) -> "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
				+ "5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n", false);
		try (PlainHttp http = new PlainHttp(url, "")) {
			assertThat(http.send("POST", "/x", "{}")).isEqualTo(new DriverHttp.Response(201, "hello, world"));
			assertThat(http.send("POST", "/x", "{}")).isEqualTo(new DriverHttp.Response(201, "hello, world"));
		}
		assertThat(this.connections).hasValue(1);
	}

	@Test
	void doesNotReuseAConnectionTheServerSaidItCloses() throws Exception {
		// The server keeps the connection open: reusing it would still work, and show.
		String url = serve(
				(n) -> "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 2\r\n\r\nno", false);
		try (PlainHttp http = new PlainHttp(url, "")) {
			assertThat(http.send("POST", "/x", "{}")).isEqualTo(new DriverHttp.Response(503, "no"));
			assertThat(http.send("POST", "/x", "{}")).isEqualTo(new DriverHttp.Response(503, "no"));
		}
		assertThat(this.connections).hasValue(2);
		assertThat(this.requests).hasSize(2);
	}

	@Test
	void replacesAnIdleConnectionTheServerClosedAndSendsTheRequestOnce() throws Exception {
		// Answers, then closes without saying so (as a server's idle timeout does).
		String url = serve((n) -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", true);
		try (PlainHttp http = new PlainHttp(url, "")) {
			assertThat(http.send("POST", "/x", "{}").status()).isEqualTo(200);
			assertThat(this.closedByServer.tryAcquire(5, TimeUnit.SECONDS)).as("the server closed the connection")
				.isTrue();
			assertThat(http.send("POST", "/y", "{}").status()).isEqualTo(200);
		}
		assertThat(this.connections).hasValue(2);
		assertThat(this.requests).extracting((request) -> request.substring(0, request.indexOf(' ', 5)))
			.containsExactly("POST /x", "POST /y");
	}

	@Test
	void anAnswerCutShortIsAnError() throws Exception {
		String url = serve((n) -> "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", true);
		try (PlainHttp http = new PlainHttp(url, "")) {
			assertThatExceptionOfType(IOException.class).isThrownBy(() -> http.send("POST", "/x", "{}"))
				.withMessageContaining("5 of 10 bytes");
		}
	}

	@Test
	void sendsItsAuthorization() throws Exception {
		String url = serve((n) -> "HTTP/1.1 204 No Content\r\n\r\n", false);
		try (PlainHttp http = new PlainHttp(url, "Bearer t-123")) {
			assertThat(http.send("POST", "/x", "{}")).isEqualTo(new DriverHttp.Response(204, ""));
		}
		assertThat(this.requests.get(0)).contains("authorization: bearer t-123\n");
	}

	/**
	 * Serves on a socket, each connection on a thread of its own: reads each request
	 * whole (request line, header lines lower-cased, body by its Content-Length) and
	 * writes the answer for its number, then closes the connection if asked.
	 */
	private String serve(IntFunction<String> answer, boolean closeAfterEach) throws IOException {
		this.server = new ServerSocket(0);
		AtomicInteger served = new AtomicInteger();
		Thread acceptor = new Thread(() -> {
			while (!this.server.isClosed()) {
				try {
					Socket socket = this.server.accept();
					this.sockets.add(socket);
					this.connections.incrementAndGet();
					Thread handler = new Thread(() -> handle(socket, answer, served, closeAfterEach),
							"test-http-connection");
					handler.setDaemon(true);
					handler.start();
				}
				catch (IOException ex) {
					// the test ends
				}
			}
		}, "test-http-server");
		acceptor.setDaemon(true);
		acceptor.start();
		return "http://127.0.0.1:" + this.server.getLocalPort();
	}

	private void handle(Socket socket, IntFunction<String> answer, AtomicInteger served, boolean closeAfterEach) {
		try {
			BufferedReader in = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
			OutputStream out = socket.getOutputStream();
			String line;
			while ((line = in.readLine()) != null) {
				StringBuilder request = new StringBuilder(line).append('\n');
				int length = 0;
				while (!(line = in.readLine()).isEmpty()) {
					String header = line.toLowerCase(Locale.ROOT);
					request.append(header).append('\n');
					if (header.startsWith("content-length:")) {
						length = Integer.parseInt(header.substring(15).trim());
					}
				}
				// The body's characters, as many as make its length in bytes.
				request.append('\n');
				int bytes = 0;
				while (bytes < length) {
					char c = (char) in.read();
					request.append(c);
					bytes += String.valueOf(c).getBytes(StandardCharsets.UTF_8).length;
				}
				this.requests.add(request.toString());
				out.write(answer.apply(served.getAndIncrement()).getBytes(StandardCharsets.UTF_8));
				out.flush();
				if (closeAfterEach) {
					socket.close();
					this.closedByServer.release();
					return;
				}
			}
		}
		catch (IOException ex) {
			// the test ends
		}
	}

}
