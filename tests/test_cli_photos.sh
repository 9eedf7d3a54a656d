#!/usr/bin/env bash
# The bundled ImageNet network on the bundled photos through the CLI, with no preprocessing flags
# (its sidecar gives them): each photo's top-1 is the class tests/fixtures/photo-boxes.json
# expects, and the peak of each method's map lies in the box drawn by hand on the object.
source "$(dirname "$0")/cli_test_setup.sh"
net=$root/web/models/mobilenetv2-12-int8.onnx
boxes=$root/tests/fixtures/photo-boxes.json
channels=$(py "import json; print(json.load(open('$boxes'))['channels'])")
for file in $(py "import json; print(' '.join(p['file'] for p in json.load(open('$boxes'))['photos']))"); do
  name=$(basename "$file")
  check "$name: explained" "$iscam" explain -m "$net" -i "$root/web/samples/$file" --method all \
    --channels "$channels" --json "$tmp/$name.json"
  check "$name: top-1 and peaks" py "
import json, sys
sys.path.insert(0, '$root/tests')
from photo_peaks import check_photo
photo = next(p for p in json.load(open('$boxes'))['photos'] if p['file'] == '$file')
check_photo(photo, json.load(open('$tmp/$name.json')), '$root/web/samples/$file')
"
done
echo "test_cli_photos: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
