import { definePlugin } from '../plugin/descriptor';
import { PLUGIN_API_VERSION } from '../plugin/descriptor';
import { stepToken } from '../tokens';
import { consoleSinkFactory, consoleSinkSchema } from './console-sink';
import { fileSinkFactory, fileSinkSchema } from './file-sink';

/** The sinks that ship with @om/core. */
export const builtinPlugin = definePlugin({
  id: 'om-core',
  apiVersion: PLUGIN_API_VERSION,
  provides: ['sink:file', 'sink:console'],
  configSchemas: {
    'sink:file': { '/config': fileSinkSchema },
    'sink:console': { '/config': consoleSinkSchema },
  },
  register(container) {
    container.register(stepToken('sink', 'file'), { useValue: fileSinkFactory });
    container.register(stepToken('sink', 'console'), { useValue: consoleSinkFactory });
  },
});
