// GPT4RoI's fixed strings and numbers (reference/gpt4roi.md §2-§5): the tokens every region format writes, the
// region cap and the 224x224 stretch.

/** First words of the first human turn of VG/RefCOCOg/Flickr30k/VCR/Pix2Cap samples (gpt4roi.md §4 "Begin string"). */
export const BEGIN_STRING = 'The <image> provides an overview of the picture.\n'
/** The region-feature token; one per region, bound to boxes[k] by position (gpt4roi.md §2). */
export const BBOX_TOKEN = '<bbox>'
/** GPT4RoI's `max_gt_per_img` (gpt4roi.md §5, §10 step 4). */
export const GPT4ROI_MAX_REGIONS = 15
/** GPT4RoI stretches every image to 224x224, no letterbox (gpt4roi.md §3). */
export const GPT4ROI_IMAGE_SIDE = 224
/** ... and drops boxes with w or h <= 2 px there (FilterAnnotationsFlickr min_gt_bbox_wh=(2,2), gpt4roi.md §3). */
export const GPT4ROI_MIN_BOX_224 = 2
