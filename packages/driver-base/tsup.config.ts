import { libraryConfig } from '../../config/tsup.ts';

export default libraryConfig({ index: 'src/index.ts', testing: 'src/testing.ts' });
