import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { NoSchemaIntrospectionCustomRule } from 'graphql';

/** Production hides the schema: introspection queries fail validation. */
export function disableIntrospection(): GatewayPlugin {
  return {
    onValidate: ({ addValidationRule }) => {
      addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
}
