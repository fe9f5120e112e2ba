import { explainCudaFailure } from '../src/runtime';

const ORT =
  '/onnxruntime_src/onnxruntime/core/session/provider_bridge_ort.cc:1695 onnxruntime::Provider& onnxruntime::ProviderLibrary::Get() [ONNXRuntimeError] : 1 : FAIL : ';

describe('explainCudaFailure', () => {
  it('asks for the onnxruntime-node CUDA add-on when its provider library is absent', () => {
    const message = `${ORT}Failed to load library libonnxruntime_providers_cuda.so with error: libonnxruntime_providers_cuda.so: cannot open shared object file: No such file or directory`;
    const explanation = explainCudaFailure(message, false);
    expect(explanation).toMatch(/^INFERENCE_DEVICE=cuda needs the onnxruntime-node CUDA add-on/);
    expect(explanation).toMatch(/ONNXRUNTIME_NODE_INSTALL_CUDA=v12 node \/\S+\/onnxruntime-node\/script\/install\.js/);
    expect(explanation).toContain('docs/inference.md');
  });

  it('names the CUDA library that is missing when the add-on is there', () => {
    const message = `${ORT}Failed to load library libonnxruntime_providers_cuda.so with error: libcudnn.so.9: cannot open shared object file: No such file or directory`;
    expect(explainCudaFailure(message, true)).toMatch(/^the CUDA add-on is installed but libcudnn\.so\.9 is not on the library path: .*CUDA 12\.x.*cuDNN 9\.x/);
  });

  it('points at the driver for any other failure', () => {
    expect(explainCudaFailure('CUDA failure 100: no CUDA-capable device is detected', true)).toMatch(
      /^the CUDA execution provider failed to start \(CUDA failure 100: no CUDA-capable device is detected\); check nvidia-smi/,
    );
  });
});
