import { libraryConfig } from '../../config/tsup.ts';

export default libraryConfig({ index: 'src/index.ts' });
