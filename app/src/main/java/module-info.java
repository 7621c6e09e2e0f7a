/**
 * The varflow launcher: picocli commands, YAML specs, Guice wiring, run directories and benchmarks.
 * Plugins (backends, discretizations, solvers) are found at run time by service binding, never compiled
 * against.
 */
module org.varflow.app {
  requires org.varflow.runtime;
  requires org.varflow.kit;
  requires org.slf4j;
  requires info.picocli;
  requires com.google.guice;
  requires jakarta.inject;
  requires com.fasterxml.jackson.databind;
  requires me.tongfei.progressbar;
  requires jdk.unsupported;

  opens org.varflow.app to info.picocli, com.google.guice;
  opens org.varflow.app.run to info.picocli, com.google.guice;
  opens org.varflow.app.plugins to info.picocli, com.google.guice;
  opens org.varflow.app.bench to info.picocli, com.google.guice;
  opens org.varflow.app.check to info.picocli, com.google.guice;
  opens org.varflow.app.study to info.picocli, com.google.guice;
  opens org.varflow.app.report to info.picocli, com.google.guice;
  opens org.varflow.app.examples to info.picocli, com.google.guice;
}
