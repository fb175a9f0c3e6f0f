/**
 * JupyterLab support for the Rerun Script kernel: the notebook is one script.
 */
import type {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, IToolbarWidgetRegistry } from '@jupyterlab/apputils';
import type { NotebookPanel } from '@jupyterlab/notebook';
import { INotebookTracker, NotebookActions } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { refreshIcon } from '@jupyterlab/ui-components';
import { NotebookLink } from './link';
import { RerunModeSwitch } from './mode';
import { createRerunButton, RunStatusIndicator } from './toolbar';

const PLUGIN_ID = 'rerunkernel-jupyterlab:plugin';
const RERUN_COMMAND = 'rerunkernel:rerun-script';

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'Runs notebooks on the Rerun Script kernel as one script: cell list, rerun button, run status, run on save.',
  autoStart: true,
  // Voila and other notebook viewers load this extension too, without notebook panels
  optional: [
    INotebookTracker,
    IToolbarWidgetRegistry,
    ISettingRegistry,
    ICommandPalette
  ],
  activate: (
    app: JupyterFrontEnd,
    maybeTracker: INotebookTracker | null,
    maybeToolbarRegistry: IToolbarWidgetRegistry | null,
    settingRegistry: ISettingRegistry | null,
    palette: ICommandPalette | null
  ) => {
    if (!maybeTracker || !maybeToolbarRegistry) {
      return; // no notebook panels to link: the kernel serves such pages on its own
    }
    const tracker = maybeTracker;
    const toolbarRegistry = maybeToolbarRegistry;
    let runOnSave = true;
    // One link per document: views of the same notebook share its kernel and saves.
    const links = new Map<NotebookPanel['context'], NotebookLink>();
    const panels = new WeakSet<NotebookPanel>();

    const linkFor = (panel: NotebookPanel): NotebookLink => {
      let link = links.get(panel.context);
      if (!link) {
        const created = new NotebookLink(panel.context, runOnSave);
        created.activeChanged.connect(() =>
          app.commands.notifyCommandChanged(RERUN_COMMAND)
        );
        created.disposed.connect(() => links.delete(panel.context));
        links.set(panel.context, created);
        link = created;
      }
      if (!panels.has(panel)) {
        panels.add(panel);
        link.addPanel(panel);
      }
      return link;
    };

    tracker.widgetAdded.connect((_, panel) => linkFor(panel));
    tracker.currentChanged.connect(() =>
      app.commands.notifyCommandChanged(RERUN_COMMAND)
    );

    NotebookActions.executionScheduled.connect((_, { notebook }) => {
      const panel = tracker.find(p => p.content === notebook);
      if (panel) {
        linkFor(panel).beforeExecution();
      }
    });

    toolbarRegistry.addFactory<NotebookPanel>(
      'Notebook',
      'rerun-script',
      panel => createRerunButton(panel, linkFor(panel))
    );
    toolbarRegistry.addFactory<NotebookPanel>(
      'Notebook',
      'rerun-mode',
      panel => new RerunModeSwitch(linkFor(panel))
    );
    toolbarRegistry.addFactory<NotebookPanel>(
      'Notebook',
      'rerun-status',
      panel => new RunStatusIndicator(panel, linkFor(panel))
    );

    app.commands.addCommand(RERUN_COMMAND, {
      label: 'Rerun Script',
      caption: 'Rerun the whole notebook as one script',
      icon: refreshIcon,
      isEnabled: () => {
        const panel = tracker.currentWidget;
        return panel !== null && linkFor(panel).active;
      },
      execute: () => {
        const panel = tracker.currentWidget;
        return panel ? linkFor(panel).rerun(panel) : false;
      }
    });
    palette?.addItem({
      command: RERUN_COMMAND,
      category: 'Notebook Operations'
    });

    if (settingRegistry) {
      const apply = (settings: ISettingRegistry.ISettings) => {
        runOnSave = settings.get('runOnSave').composite as boolean;
        links.forEach(link => {
          link.handlesSave = runOnSave;
        });
      };
      settingRegistry
        .load(PLUGIN_ID)
        .then(settings => {
          apply(settings);
          settings.changed.connect(apply);
        })
        .catch(reason => {
          console.error('Rerun Script: could not load settings', reason);
        });
    }
  }
};

export default plugin;
