import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const DataType = onnx.TensorProto.DataType;
const AttrType = onnx.AttributeProto.AttributeType;
const utf8 = new TextEncoder();

/**
 * The ONNX IR version written (ONNX 1.10, which onnx-proto 8 describes).
 *
 * @example
 * ```ts
 * ONNX_IR_VERSION; // 8
 * ```
 */
export const ONNX_IR_VERSION = 8;
/**
 * Opset of the default ONNX domain used by the built-in trainers (Sigmoid, MatMul, Add, Sub, Div).
 *
 * @example
 * ```ts
 * ONNX_OPSET; // 13
 * ```
 */
export const ONNX_OPSET = 13;
/**
 * Opset of the `ai.onnx.ml` domain used by the built-in trainers (TreeEnsembleRegressor v3).
 *
 * @example
 * ```ts
 * ONNX_ML_OPSET; // 3
 * ```
 */
export const ONNX_ML_OPSET = 3;

/**
 * A value of one node attribute, tagged with its ONNX attribute type.
 *
 * @example
 * ```ts
 * const a: AttributeValue = { strings: ['BRANCH_LEQ', 'LEAF'] };
 * ```
 */
export type AttributeValue =
  | { readonly int: number }
  | { readonly ints: readonly number[] }
  | { readonly float: number }
  | { readonly floats: readonly number[] | Float32Array }
  | { readonly string: string }
  | { readonly strings: readonly string[] };

/**
 * One node of a graph.
 *
 * @example
 * ```ts
 * const node: GraphNode = { opType: 'Sigmoid', name: 'sigmoid', inputs: ['logit'], outputs: ['probability'] };
 * ```
 */
export interface GraphNode {
  readonly opType: string;
  readonly domain?: string;
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes?: Readonly<Record<string, AttributeValue>>;
}

/**
 * A float32 constant of a graph (an initializer).
 *
 * @example
 * ```ts
 * const w: FloatInitializer = { name: 'weights', dims: [3, 1], values: Float32Array.of(0.5, -1, 2) };
 * ```
 */
export interface FloatInitializer {
  readonly name: string;
  readonly dims: readonly number[];
  readonly values: Float32Array;
}

/**
 * A graph input or output (float32 unless `type` says otherwise); a string dimension is symbolic (the batch).
 *
 * @example
 * ```ts
 * const input: FloatValueInfo = { name: 'features', dims: ['N', 20] };
 * ```
 */
export interface FloatValueInfo {
  readonly name: string;
  readonly dims: readonly (number | string)[];
  readonly type?: 'float32' | 'int64';
}

/**
 * What {@link encodeOnnxModel} writes.
 *
 * @example
 * ```ts
 * const spec: OnnxModelSpec = { producer: 'me', inputs: [input], outputs: [output], nodes: [node], initializers: [w] };
 * ```
 */
export interface OnnxModelSpec {
  readonly producer: string;
  readonly inputs: readonly FloatValueInfo[];
  readonly outputs: readonly FloatValueInfo[];
  readonly nodes: readonly GraphNode[];
  readonly initializers?: readonly FloatInitializer[];
  /** Whether the graph uses `ai.onnx.ml` operators (adds that opset import). */
  readonly usesMl?: boolean;
  /** Free-form `metadata_props` (the CLM stores the feature list here, so a file describes its own inputs). */
  readonly metadata?: Readonly<Record<string, string>>;
  readonly docString?: string;
}

function attribute(name: string, value: AttributeValue): onnxProto.onnx.IAttributeProto {
  if ('int' in value) return { name, type: AttrType.INT, i: value.int };
  if ('ints' in value) return { name, type: AttrType.INTS, ints: [...value.ints] };
  if ('float' in value) return { name, type: AttrType.FLOAT, f: value.float };
  if ('floats' in value) return { name, type: AttrType.FLOATS, floats: Array.from(value.floats) };
  if ('string' in value) return { name, type: AttrType.STRING, s: utf8.encode(value.string) };
  return { name, type: AttrType.STRINGS, strings: value.strings.map((s) => utf8.encode(s)) };
}

function valueInfo(v: FloatValueInfo): onnxProto.onnx.IValueInfoProto {
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: v.type === 'int64' ? DataType.INT64 : DataType.FLOAT,
        shape: { dim: v.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

/**
 * Encodes a small float32 ONNX graph as model bytes (IR 8, default opset 13, `ai.onnx.ml` opset 3 when used) that
 * onnxruntime-node loads. The built-in trainers use it to write their models.
 *
 * @example
 * ```ts
 * const bytes = encodeOnnxModel({
 *   producer: 'example',
 *   inputs: [{ name: 'x', dims: ['N', 1] }],
 *   outputs: [{ name: 'y', dims: ['N', 1] }],
 *   nodes: [{ opType: 'Sigmoid', name: 'sigmoid', inputs: ['x'], outputs: ['y'] }],
 * });
 * ```
 */
export function encodeOnnxModel(spec: OnnxModelSpec): Uint8Array {
  const opsetImport: onnxProto.onnx.IOperatorSetIdProto[] = [{ domain: '', version: ONNX_OPSET }];
  if (spec.usesMl === true) opsetImport.push({ domain: 'ai.onnx.ml', version: ONNX_ML_OPSET });
  const model = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    producerName: spec.producer,
    producerVersion: '0.1.0',
    docString: spec.docString ?? '',
    opsetImport,
    metadataProps: Object.entries(spec.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: spec.producer,
      input: spec.inputs.map(valueInfo),
      output: spec.outputs.map(valueInfo),
      initializer: (spec.initializers ?? []).map((t) => ({
        name: t.name,
        dims: [...t.dims],
        dataType: DataType.FLOAT,
        floatData: Array.from(t.values),
      })),
      node: spec.nodes.map((n) => ({
        opType: n.opType,
        domain: n.domain ?? '',
        name: n.name,
        input: [...n.inputs],
        output: [...n.outputs],
        attribute: Object.entries(n.attributes ?? {}).map(([k, v]) => attribute(k, v)),
      })),
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/**
 * Reads the `metadata_props` of ONNX model bytes (without loading the model into a runtime).
 *
 * @example
 * ```ts
 * const props = readOnnxMetadata(bytes); // { 'qt.features': '["ret_1","rsi_14"]', … }
 * ```
 */
export function readOnnxMetadata(bytes: Uint8Array): Record<string, string> {
  const model = onnx.ModelProto.decode(bytes);
  const out: Record<string, string> = {};
  for (const p of model.metadataProps) if (p.key) out[p.key] = p.value ?? '';
  return out;
}
