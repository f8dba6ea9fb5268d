package io.hmb.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * target/hmb-proto-bundle.zip, as an integrator receives it, is all they need: it holds every hmb/v1 file
 * and the error model, each import of each file resolves inside it, and protoc compiles it with no other
 * include path. Runs at verify (proto/pom.xml), once the zip exists.
 */
class ProtoBundleTest {
  private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(?:public\\s+|weak\\s+)?\"([^\"]+)\"\\s*;",
      Pattern.MULTILINE);
  static final Map<String, String> files = new TreeMap<>();
  static Path zip;

  @BeforeAll
  static void read() throws IOException {
    zip = Path.of(System.getProperty("hmb.protoBundle", "target/hmb-proto-bundle.zip"));
    assertThat(zip).as("the bundle (mvn -pl proto package)").exists();
    try (ZipFile z = new ZipFile(zip.toFile())) {
      for (ZipEntry e : java.util.Collections.list(z.entries())) {
        if (!e.isDirectory()) {
          try (InputStream in = z.getInputStream(e)) {
            files.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
          }
        }
      }
    }
  }

  @Test
  void holdsEveryHmbFileTheErrorModelAndAReadme() throws IOException {
    try (Stream<Path> own = Files.list(Path.of("src/main/proto/hmb/v1"))) {
      own.forEach(p -> assertThat(files).containsKey("hmb/v1/" + p.getFileName()));
    }
    assertThat(files).containsKeys("google/type/date.proto", "google/rpc/status.proto", "google/rpc/error_details.proto",
        "google/rpc/code.proto", "google/protobuf/timestamp.proto", "README.md");
    assertThat(files.get("README.md")).contains("grpc-status-details-bin", "ErrorInfo");
  }

  @Test
  void everyImportResolvesInsideTheBundle() {
    List<String> missing = new ArrayList<>();
    files.forEach((name, text) -> {
      if (name.endsWith(".proto")) {
        Matcher m = IMPORT.matcher(text);
        while (m.find()) {
          if (!files.containsKey(m.group(1))) {
            missing.add(name + " imports " + m.group(1));
          }
        }
      }
    });
    assertThat(missing).isEmpty();
    assertThat(files.get("hmb/v1/common.proto")).contains("import \"google/type/date.proto\"");
  }

  @Test
  void protocCompilesItWithTheBundleAsTheOnlyIncludePath(@TempDir Path dir) throws Exception {
    Path protoc = Path.of(System.getProperty("hmb.protoc", "target/protoc-plugins/none"));
    Assumptions.assumeTrue(Files.isExecutable(protoc), "protoc from the build at " + protoc);
    Path root = dir.resolve("bundle");
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path to = root.resolve(f.getKey());
      Files.createDirectories(to.getParent());
      Files.writeString(to, f.getValue(), StandardCharsets.UTF_8);
    }
    Path out = dir.resolve("set.binpb");
    List<String> command = new ArrayList<>(List.of(protoc.toString(), "--proto_path=" + root,
        "--include_imports", "--descriptor_set_out=" + out));
    files.keySet().stream().filter(n -> n.startsWith("hmb/v1/") || n.startsWith("google/rpc/")).forEach(command::add);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(printed).isZero();
    FileDescriptorSet set = FileDescriptorSet.parseFrom(Files.readAllBytes(out));
    assertThat(set.getFileList()).extracting(f -> f.getName()).contains("hmb/v1/delivery.proto",
        "google/type/date.proto", "google/rpc/error_details.proto");
    assertThat(set.getFileList().stream().filter(f -> f.getName().equals("hmb/v1/delivery.proto")).findFirst()
        .orElseThrow().getServiceList()).extracting(s -> s.getName()).contains("DirectoryService");
  }
}
