package org.varflow.app;

import com.google.inject.AbstractModule;
import org.varflow.app.plugins.Plugins;

/** Guice wiring of the launcher: one plugin registry per process, shared by every command. */
final class VarflowModule extends AbstractModule {
  @Override
  protected void configure() {
    bind(Plugins.class).asEagerSingleton();
  }
}
