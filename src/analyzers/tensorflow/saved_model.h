// The three protobuf files of a SavedModel folder, and a bare GraphDef (a frozen graph).
#pragma once

#include "analyzers/tensorflow/scan.h"
#include "core/byte_view.h"

namespace mg::tensorflow {

void ScanSavedModel(TfScan& scan, ByteView file);      // saved_model.pb: SavedModel
void ScanFrozenGraph(TfScan& scan, ByteView file);     // *.pb: GraphDef
void ScanKerasMetadata(TfScan& scan, ByteView file);   // keras_metadata.pb: SavedMetadata
void ScanFingerprint(TfScan& scan, ByteView file);     // fingerprint.pb: FingerprintDef

}  // namespace mg::tensorflow
