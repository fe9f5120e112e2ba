import { runProcess } from '@serendip/federation';
import { startCatalogueSubgraph } from './app';
import { loadCatalogueConfig } from './config';

runProcess('catalogue', loadCatalogueConfig, startCatalogueSubgraph);
