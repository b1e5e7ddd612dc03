/**
 * The five PAI products pai-graph calls, their API versions and how the official SDKs
 * resolve their hosts (upstream-contract section 6: explicit endpoint, then the product's
 * endpoint map, then the regional rule).
 */
export type ProductName = 'AIWorkSpace' | 'PaiStudio' | 'pai-dlc' | 'PaiLLMTrace' | 'eas';

export interface ProductSpec {
  readonly name: ProductName;
  readonly version: string;
  /** Suffix of the per-product override variable: PAI_<envKey>_ENDPOINT. */
  readonly envKey: string;
  readonly host: (region: string) => string;
}

const regional = (prefix: string) => (region: string) => `${prefix}.${region}.aliyuncs.com`;

/** Regions the AIWorkSpace SDK map sends to the central, regionless host. */
const AIWORKSPACE_CENTRAL = new Set([
  'cn-qingdao', 'cn-huhehaote', 'cn-zhangbei', 'cn-zhangjiakou', 'cn-chengdu', 'cn-hangzhou-finance',
  'cn-shenzhen-finance-1', 'cn-north-2-gov-1', 'eu-west-1', 'me-east-1', 'ap-southeast-2',
]);

/** Regions the pai-dlc SDK map sends to the central host. */
const DLC_CENTRAL = new Set([
  'cn-zhangjiakou', 'cn-chengdu', 'cn-qingdao', 'cn-huhehaote', 'cn-zhangbei', 'ap-south-1',
  'ap-southeast-2', 'me-east-1', 'eu-west-1',
]);

export const PRODUCTS: Readonly<Record<ProductName, ProductSpec>> = {
  AIWorkSpace: {
    name: 'AIWorkSpace',
    version: '2021-02-04',
    envKey: 'AIWORKSPACE',
    host: (region) => {
      if (region === 'ap-southeast-5') return 'aiworkspace-vpc.ap-southeast-5.aliyuncs.com';
      if (AIWORKSPACE_CENTRAL.has(region)) return 'aiworkspace.aliyuncs.com';
      return regional('aiworkspace')(region);
    },
  },
  PaiStudio: {
    name: 'PaiStudio',
    version: '2022-01-12',
    envKey: 'PAISTUDIO',
    // The SDK's map uses the "pai." prefix, and a different domain for cn-hangzhou.
    host: (region) => (region === 'cn-hangzhou' ? 'pai.cn-hangzhou.data.aliyun.com' : regional('pai')(region)),
  },
  'pai-dlc': {
    name: 'pai-dlc',
    version: '2020-12-03',
    envKey: 'DLC',
    host: (region) => (DLC_CENTRAL.has(region) ? 'pai-dlc.aliyuncs.com' : regional('pai-dlc')(region)),
  },
  PaiLLMTrace: {
    name: 'PaiLLMTrace',
    version: '2024-03-11',
    envKey: 'LLMTRACE',
    // Not regional in any SDK: every region resolves to the one host.
    host: () => 'paillmtrace.aliyuncs.com',
  },
  eas: {
    name: 'eas',
    version: '2021-07-01',
    envKey: 'EAS',
    // Every region of the SDK's map is pai-eas.{region}; its rule for unmapped regions would
    // give eas.{region}, which is not known to resolve (upstream-contract 12.1).
    host: regional('pai-eas'),
  },
};

export const PRODUCT_NAMES = Object.keys(PRODUCTS) as ProductName[];

/**
 * The region an Alibaba Cloud endpoint names, e.g. `cn-shanghai` for
 * `https://pai-eas.cn-shanghai.aliyuncs.com` or `https://pai-eas-manage-vpc.cn-shanghai.aliyuncs.com`;
 * undefined for a host that names none (a proxy, the emulator, a regionless host).
 */
export function regionOfOrigin(origin: string): string | undefined {
  let host: string;
  try {
    host = new URL(origin).hostname;
  } catch {
    return undefined;
  }
  return /^[a-z0-9-]+\.([a-z]{2,}(?:-[a-z0-9]+)+)\.aliyuncs\.com$/.exec(host)?.[1];
}

/** Origins per product: `overrides` (PAI_<P>_ENDPOINT) win over `origin` (PAI_ENDPOINT), which wins over the region. */
export function resolveOrigins(opts: {
  origin?: string | undefined;
  region?: string | undefined;
  overrides?: Partial<Record<ProductName, string>>;
}): Record<ProductName, string> {
  const out = {} as Record<ProductName, string>;
  for (const name of PRODUCT_NAMES) {
    const override = opts.overrides?.[name];
    if (override) out[name] = override;
    else if (opts.origin) out[name] = opts.origin;
    else if (opts.region) out[name] = `https://${PRODUCTS[name].host(opts.region)}`;
    else throw new Error(`no endpoint for ${name}: set PAI_ENDPOINT, PAI_REGION or PAI_${PRODUCTS[name].envKey}_ENDPOINT`);
  }
  return out;
}
